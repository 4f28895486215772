//! Nothing: this crate only makes cargo build the standard library (see ../Cargo.toml).
