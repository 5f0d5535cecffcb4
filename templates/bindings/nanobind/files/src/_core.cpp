#include <nanobind/nanobind.h>

#include "functions.hpp"

namespace nb = nanobind;
using namespace nb::literals;

NB_MODULE(_core, m) {
  m.doc() = "The compiled core of the package, written in C++ with nanobind.";
  m.def("add", &functions::add, "a"_a, "b"_a, "Return the sum of a and b.");
  m.def("fib", &functions::fib, "n"_a,
        "Return the n-th Fibonacci number, by naive recursion.\n\n"
        "Raises ValueError if n is negative.");
}
