#include <nanobind/nanobind.h>

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

namespace nb = nanobind;
using namespace nb::literals;

{% include piece("cpp-functions.cpp") %}
NB_MODULE(_core, m) {
  m.doc() = "The compiled core of the package, written in C++ with nanobind.";
  m.def("add", &add, "a"_a, "b"_a, "Return the sum of a and b.");
  m.def("fib", &fib, "n"_a,
        "Return the n-th Fibonacci number, by naive recursion.\n\n"
        "Raises ValueError if n is negative.");
}
