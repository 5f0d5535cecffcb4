/* The C functions of the compiled core: plain C, with no Python in sight. */

#include "_core.h"

#include <limits.h>

int core_add(long long a, long long b, long long* sum) {
  if ((b > 0 && a > LLONG_MAX - b) || (b < 0 && a < LLONG_MIN - b)) {
    return -1;
  }
  *sum = a + b;
  return 0;
}

long long core_fib(long long n) {
  return n < 2 ? n : core_fib(n - 1) + core_fib(n - 2);
}
