/* The compiled core of the package, written in C with the CPython C API. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <limits.h>

/* Fills values[i] with the argument called names[i], given by position or by
 * keyword: borrowed references, as the caller's arguments own them. Returns 0,
 * or -1 with TypeError set. */
static int parse_arguments(const char* function, const char* const names[],
                           Py_ssize_t count, PyObject* const* args,
                           Py_ssize_t nargs, PyObject* kwnames,
                           PyObject* values[]) {
  if (nargs > count) {
    PyErr_Format(PyExc_TypeError, "%s() takes %zd arguments (%zd given)",
                 function, count, nargs);
    return -1;
  }
  for (Py_ssize_t i = 0; i < count; i++) {
    values[i] = i < nargs ? args[i] : NULL;
  }
{%- if cookiecutter.stable_abi == "yes" %}
  /* The Limited API has functions, not macros, to read a tuple. */
  Py_ssize_t nkeywords = kwnames == NULL ? 0 : PyTuple_Size(kwnames);
  for (Py_ssize_t k = 0; k < nkeywords; k++) {
    PyObject* keyword = PyTuple_GetItem(kwnames, k);
{%- else %}
  Py_ssize_t nkeywords = kwnames == NULL ? 0 : PyTuple_GET_SIZE(kwnames);
  for (Py_ssize_t k = 0; k < nkeywords; k++) {
    PyObject* keyword = PyTuple_GET_ITEM(kwnames, k);
{%- endif %}
    Py_ssize_t i = 0;
    while (i < count &&
           PyUnicode_CompareWithASCIIString(keyword, names[i]) != 0) {
      i++;
    }
    if (i == count) {
      PyErr_Format(PyExc_TypeError,
                   "%s() got an unexpected keyword argument '%U'", function,
                   keyword);
      return -1;
    }
    if (values[i] != NULL) {
      PyErr_Format(PyExc_TypeError,
                   "%s() got multiple values for argument '%s'", function,
                   names[i]);
      return -1;
    }
    values[i] = args[nargs + k];
  }
  for (Py_ssize_t i = 0; i < count; i++) {
    if (values[i] == NULL) {
      PyErr_Format(PyExc_TypeError,
                   "%s() missing required argument '%s' (pos %zd)", function,
                   names[i], i + 1);
      return -1;
    }
  }
  return 0;
}

/* Converts an int (or an object with __index__) to a C long long. Returns 0,
 * or -1 with TypeError or OverflowError set. */
static int as_long_long(PyObject* object, long long* value) {
  *value = PyLong_AsLongLong(object);
  return *value == -1 && PyErr_Occurred() ? -1 : 0;
}

/* The first line is the __text_signature__ that inspect.signature reads. */
PyDoc_STRVAR(add_doc,
             "add($module, /, a, b)\n"
             "--\n"
             "\n"
             "Return the sum of a and b.\n"
             "\n"
             "Raises OverflowError if a, b or their sum does not fit in a "
             "64-bit signed integer.");

static PyObject* add(PyObject* module, PyObject* const* args, Py_ssize_t nargs,
                     PyObject* kwnames) {
  static const char* const names[] = {"a", "b"};
  PyObject* values[2];
  long long a, b;
  (void)module;
  if (parse_arguments("add", names, 2, args, nargs, kwnames, values) < 0 ||
      as_long_long(values[0], &a) < 0 || as_long_long(values[1], &b) < 0) {
    return NULL;
  }
  if ((b > 0 && a > LLONG_MAX - b) || (b < 0 && a < LLONG_MIN - b)) {
    PyErr_Format(PyExc_OverflowError,
                 "%lld + %lld does not fit in a 64-bit signed integer", a, b);
    return NULL;
  }
  return PyLong_FromLongLong(a + b);
}

static long long fib_unchecked(long long n) {
  return n < 2 ? n : fib_unchecked(n - 1) + fib_unchecked(n - 2);
}

PyDoc_STRVAR(fib_doc,
             "fib($module, /, n)\n"
             "--\n"
             "\n"
             "Return the n-th Fibonacci number, by naive recursion.\n"
             "\n"
             "Raises ValueError if n is negative.");

static PyObject* fib(PyObject* module, PyObject* const* args, Py_ssize_t nargs,
                     PyObject* kwnames) {
  static const char* const names[] = {"n"};
  PyObject* values[1];
  long long n;
  (void)module;
  if (parse_arguments("fib", names, 1, args, nargs, kwnames, values) < 0 ||
      as_long_long(values[0], &n) < 0) {
    return NULL;
  }
  if (n < 0) {
    PyErr_Format(PyExc_ValueError, "n must be >= 0, got %lld", n);
    return NULL;
  }
  return PyLong_FromLongLong(fib_unchecked(n));
}

/* METH_FASTCALL functions have another C type than PyCFunction; the cast
 * through void (*)(void) tells the compiler that this is deliberate. */
static PyMethodDef core_methods[] = {
    {"add", (PyCFunction)(void (*)(void))add, METH_FASTCALL | METH_KEYWORDS,
     add_doc},
    {"fib", (PyCFunction)(void (*)(void))fib, METH_FASTCALL | METH_KEYWORDS,
     fib_doc},
    {NULL, NULL, 0, NULL},
};

/* The execution phase of multi-phase initialisation (PEP 489): fills in the
 * module object that the import system created from core_module. */
static int core_exec(PyObject* module) {
  PyObject* all = Py_BuildValue("[ss]", "add", "fib");
  if (all == NULL) {
    return -1;
  }
  int result = PyModule_AddObjectRef(module, "__all__", all);
  Py_DECREF(all);
  return result;
}

static PyModuleDef_Slot core_slots[] = {
    {Py_mod_exec, (void*)core_exec},
#ifdef Py_mod_multiple_interpreters
    /* The module keeps no state of its own, so every interpreter may load it,
     * each with its own GIL. */
    {Py_mod_multiple_interpreters, Py_MOD_PER_INTERPRETER_GIL_SUPPORTED},
#endif
{%- if cookiecutter.free_threading == "yes" %}
#ifdef Py_mod_gil
    /* Nor does it need the GIL to protect any state. */
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#endif
{%- endif %}
    {0, NULL},
};

static PyModuleDef core_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "{{ cookiecutter.__import_name }}._core",
    .m_doc = "Compiled core, written in C with the CPython C API.",
    .m_size = 0,
    .m_methods = core_methods,
    .m_slots = core_slots,
};

PyMODINIT_FUNC PyInit__core(void) { return PyModuleDef_Init(&core_module); }
