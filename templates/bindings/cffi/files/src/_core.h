/* The C functions that CFFI makes callable from Python. cffi_build.py passes
 * this file to cdef() as it is: keep it to declarations, with no #include or
 * #ifdef, and only types that cdef() knows. */

/* Stores a + b in *sum and returns 0, or returns -1 if the sum overflows. */
int core_add(long long a, long long b, long long* sum);

/* The n-th Fibonacci number, by naive recursion; n must not be negative. */
long long core_fib(long long n);
