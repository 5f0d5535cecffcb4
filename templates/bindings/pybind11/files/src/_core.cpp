#include <pybind11/pybind11.h>

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

namespace py = pybind11;

namespace {

constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
constexpr auto kMin = std::numeric_limits<std::int64_t>::min();

std::int64_t add(std::int64_t a, std::int64_t b) {
  // Signed overflow is undefined behaviour in C++: check before adding.
  if ((b > 0 && a > kMax - b) || (b < 0 && a < kMin - b)) {
    // pybind11 turns std::overflow_error into Python's OverflowError.
    throw std::overflow_error("a + b does not fit in a 64-bit integer");
  }
  return a + b;
}

std::int64_t fib_unchecked(std::int64_t n) {
  return n < 2 ? n : fib_unchecked(n - 1) + fib_unchecked(n - 2);
}

std::int64_t fib(std::int64_t n) {
  if (n < 0) {
    // pybind11 turns py::value_error into Python's ValueError.
    throw py::value_error("n must be >= 0, got " + std::to_string(n));
  }
  return fib_unchecked(n);
}

}  // namespace

{% if cookiecutter.free_threading == "yes" -%}
// The module keeps no state of its own, so it does not need the GIL.
PYBIND11_MODULE(_core, m, py::mod_gil_not_used()) {
{%- else -%}
PYBIND11_MODULE(_core, m) {
{%- endif %}
  m.doc() = "The compiled core of the package, written in C++ with pybind11.";
  m.def("add", &add, py::arg("a"), py::arg("b"), "Return the sum of a and b.");
  m.def("fib", &fib, py::arg("n"),
        "Return the n-th Fibonacci number, by naive recursion.\n\n"
        "Raises ValueError if n is negative.");
}
