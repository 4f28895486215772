use pyo3::prelude::*;

/// The core crate's weighted sum, for Python.
#[pyfunction]
fn weighted_sum(values: Vec<i64>) -> i64 {
    wsvectors::weighted_sum(&values)
}

/// An extension in a workspace: built from crates/wsmember, tested with the root's locked tools.
#[pymodule]
fn wsmember(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(weighted_sum, m)?)?;
    Ok(())
}
