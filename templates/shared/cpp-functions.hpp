{#- The C++ bindings' add and fib, declared for _core.cpp: the same in each. -#}
// add and fib, compiled apart from the binding (functions.cpp): editing them
// recompiles that file alone, not the binding's headers.
#pragma once

#include <cstdint>

namespace functions {

// Throws std::overflow_error where the sum does not fit in 64 bits.
std::int64_t add(std::int64_t a, std::int64_t b);
// Throws std::invalid_argument where n is negative.
std::int64_t fib(std::int64_t n);

}  // namespace functions
