use pyo3::prelude::*;

/// Sums a list of integers in Rust.
#[pyfunction]
fn total(values: Vec<i64>) -> i64 {
    values.iter().sum()
}

/// The compiled half of the `mixed` package, imported as `mixed._core`.
#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(total, m)?)?;
    Ok(())
}
