#include <pybind11/pybind11.h>

#include "functions.hpp"

namespace py = pybind11;

{% if cookiecutter.free_threading == "yes" -%}
// The module keeps no state of its own, so it does not need the GIL.
PYBIND11_MODULE(_core, m, py::mod_gil_not_used()) {
{%- else -%}
PYBIND11_MODULE(_core, m) {
{%- endif %}
  m.doc() = "The compiled core of the package, written in C++ with pybind11.";
  m.def("add", &functions::add, py::arg("a"), py::arg("b"),
        "Return the sum of a and b.");
  m.def("fib", &functions::fib, py::arg("n"),
        "Return the n-th Fibonacci number, by naive recursion.\n\n"
        "Raises ValueError if n is negative.");
}
