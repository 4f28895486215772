use pyo3::prelude::*;

/// Greets someone, from Rust, through the stable ABI.
#[pyfunction]
fn greet(name: &str) -> String {
    format!("hello, {name}")
}

#[pymodule]
fn abi3(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(greet, m)?)?;
    Ok(())
}
