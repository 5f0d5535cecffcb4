#include <nanobind/nanobind.h>

#include <cstdint>
#include <stdexcept>
#include <string>

namespace nb = nanobind;
using namespace nb::literals;

namespace {

std::int64_t add(std::int64_t a, std::int64_t b) { return a + b; }

std::int64_t fib_unchecked(std::int64_t n) {
  return n < 2 ? n : fib_unchecked(n - 1) + fib_unchecked(n - 2);
}

std::int64_t fib(std::int64_t n) {
  if (n < 0) {
    // nanobind turns std::invalid_argument into Python's ValueError.
    throw std::invalid_argument("n must be >= 0, got " + std::to_string(n));
  }
  return fib_unchecked(n);
}

}  // namespace

NB_MODULE(_core, m) {
  m.doc() = "Compiled core of {{ cookiecutter.__import_name }}, written in C++ with nanobind.";
  m.def("add", &add, "a"_a, "b"_a, "Return the sum of a and b.");
  m.def("fib", &fib, "n"_a,
        "Return the n-th Fibonacci number, by naive recursion.\n\n"
        "Raises ValueError if n is negative.");
}
