{#- The C++ bindings' add and fib (src/functions.cpp): the same in each. -#}
#include "functions.hpp"

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

namespace functions {
namespace {

constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
constexpr auto kMin = std::numeric_limits<std::int64_t>::min();

std::int64_t fib_unchecked(std::int64_t n) {
  return n < 2 ? n : fib_unchecked(n - 1) + fib_unchecked(n - 2);
}

}  // namespace

std::int64_t add(std::int64_t a, std::int64_t b) {
  // Signed overflow is undefined behaviour in C++: check before adding.
  if ((b > 0 && a > kMax - b) || (b < 0 && a < kMin - b)) {
    // The binding turns std::overflow_error into Python's OverflowError.
    throw std::overflow_error("a + b does not fit in a 64-bit integer");
  }
  return a + b;
}

std::int64_t fib(std::int64_t n) {
  if (n < 0) {
    // The binding turns std::invalid_argument into Python's ValueError.
    throw std::invalid_argument("n must be >= 0, got " + std::to_string(n));
  }
  return fib_unchecked(n);
}

}  // namespace functions
