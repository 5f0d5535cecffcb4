use pyo3::prelude::*;

/// Compiled core of {{ cookiecutter.__import_name }}, written in Rust with PyO3.
{%- if cookiecutter.free_threading == "yes" %}
// It keeps no state of its own, so it does not need the GIL.
#[pymodule(gil_used = false)]
{%- else %}
// Free-threaded CPython is not targeted, so the module asks for the GIL there.
#[pymodule(gil_used = true)]
{%- endif %}
mod _core {
    use pyo3::exceptions::{PyOverflowError, PyValueError};
    use pyo3::prelude::*;

    /// Return the sum of a and b.
    #[pyfunction]
    fn add(a: i64, b: i64) -> PyResult<i64> {
        // Plain `+` would panic in debug builds and wrap in release builds.
        a.checked_add(b)
            .ok_or_else(|| PyOverflowError::new_err("a + b does not fit in a 64-bit integer"))
    }

    /// Return the n-th Fibonacci number, by naive recursion.
    ///
    /// Raises ValueError if n is negative.
    #[pyfunction]
    fn fib(n: i64) -> PyResult<i64> {
        if n < 0 {
            // PyO3 raises a PyErr as the Python exception it holds.
            return Err(PyValueError::new_err(format!("n must be >= 0, got {n}")));
        }
        Ok(fib_unchecked(n))
    }

    fn fib_unchecked(n: i64) -> i64 {
        if n < 2 {
            n
        } else {
            fib_unchecked(n - 1) + fib_unchecked(n - 2)
        }
    }
}
