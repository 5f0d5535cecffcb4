"""Print what the Py_mod_gil slot of a module's PyModuleDef says.

`python gil_slot_probe.py MODULE` prints "not used", "used", or "absent" (no such
slot, or a module made without a PyModuleDef). It runs in the environment the
module is installed in, with nothing but the standard library.
"""

from __future__ import annotations

import ctypes
import importlib
import sys

# The slot's number and its value that declares the module safe without the GIL
# (Include/moduleobject.h: Py_mod_gil, Py_MOD_GIL_NOT_USED).
PY_MOD_GIL = 4
PY_MOD_GIL_NOT_USED = 1
# PyModuleDef: a 5-word base (object head, m_init, m_index, m_copy), then
# m_name, m_doc, m_size, m_methods, m_slots.
M_SLOTS_WORD = 9


class Slot(ctypes.Structure):
    _fields_ = [("slot", ctypes.c_int), ("value", ctypes.c_void_p)]


def gil_slot(module_name: str) -> str:
    module = importlib.import_module(module_name)
    get_def = ctypes.pythonapi.PyModule_GetDef
    get_def.restype, get_def.argtypes = ctypes.c_void_p, [ctypes.py_object]
    address = get_def(module)
    if not address:
        return "absent"
    slots = ctypes.cast(address, ctypes.POINTER(ctypes.c_void_p))[M_SLOTS_WORD]
    if not slots:
        return "absent"
    for slot in ctypes.cast(slots, ctypes.POINTER(Slot)):
        if slot.slot == 0:
            return "absent"
        if slot.slot == PY_MOD_GIL:
            return "not used" if slot.value == PY_MOD_GIL_NOT_USED else "used"
    return "absent"  # unreachable: the slots end with a zero slot


if __name__ == "__main__":
    print(gil_slot(sys.argv[1]))
