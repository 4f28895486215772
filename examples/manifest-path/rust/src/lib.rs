use pyo3::prelude::*;

/// Doubles a number in Rust.
#[pyfunction]
fn double(value: i64) -> i64 {
    value * 2
}

/// The compiled half of the `rustdir` package, imported as `rustdir._native`.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(double, m)?)?;
    Ok(())
}
