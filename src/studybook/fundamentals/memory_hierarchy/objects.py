"""Where a Python object's bytes go: the header, the body, and the hidden pre-header.

Every CPython object starts with a ``PyObject`` header: a reference count and
a pointer to its type, two machine words (16 bytes on a 64-bit build).
Variable-size objects (``int``, ``tuple``, ``bytes``, ``str``) add a third
word, ``ob_size``. Objects of types that can take part in reference cycles
(lists, tuples, dicts, instances of your classes; the type has
``Py_TPFLAGS_HAVE_GC``) also carry a two-word ``PyGC_Head`` in front of the
object, linking it into the collector's generation lists. The space is there
whether or not the collector is tracking that object right now: CPython
untracks ``()`` and dicts that hold only atomic values, and they still
carry it. Since 3.11, instances of classes without ``__slots__`` keep
their ``__dict__`` and attribute values through two more words placed before
the GC header (the "managed dict"). ``sys.getsizeof`` reports the object's
``__sizeof__`` plus that pre-header; it never follows pointers, so a list's
size excludes the objects it points to. Interviewers ask because it explains
why a list of a million ints takes tens of megabytes, why ``__slots__`` and
``array`` save memory, and why Python code has poor cache locality.

Invariant: :func:`size_breakdown` parts add up to ``sys.getsizeof(obj)``.

>>> b = size_breakdown((1, 2, 3))  # runs only locally: sizes differ in the page's 32-bit Python
>>> b.total == sys.getsizeof((1, 2, 3)), b.header, b.gc_header
(True, 16, 16)

Primary sources: CPython 3.11 source: ``Include/object.h`` (``PyObject``,
``PyVarObject``, ``Py_TPFLAGS_HAVE_GC``, ``Py_TPFLAGS_MANAGED_DICT``),
``Include/internal/pycore_gc.h`` (``PyGC_Head``),
``Include/internal/pycore_object.h`` (``_PyType_PreHeaderSize``),
``Include/cpython/longintrepr.h`` (30-bit digits), ``Python/sysmodule.c``
(``sys.getsizeof``); the ``sys.getsizeof`` documentation.
"""

from __future__ import annotations

import struct
import sys
import sysconfig
from dataclasses import dataclass

__all__ = ["SizeBreakdown", "size_breakdown"]

# Type flags from CPython's Include/object.h (3.11 and later).
_HAVE_GC = 1 << 14
_HEAPTYPE = 1 << 9
_MANAGED_DICT = 1 << 4
_MANAGED_WEAKREF = 1 << 3  # 3.12 and later; unused before
_WORD = struct.calcsize("P")
# The free-threaded build (PEP 703) keeps GC state in the object header and has
# no PyGC_Head pre-header (CPython gh-112529, 3.13).
_FREE_THREADED = bool(sysconfig.get_config_var("Py_GIL_DISABLED"))


@dataclass(frozen=True)
class SizeBreakdown:
    """One object's ``sys.getsizeof`` split into its parts, in bytes."""

    type_name: str
    header: int
    body: int
    gc_header: int
    managed_dict: int

    @property
    def total(self) -> int:
        """What ``sys.getsizeof`` reports: the sum of the parts."""
        return self.header + self.body + self.gc_header + self.managed_dict


def size_breakdown(obj: object) -> SizeBreakdown:
    """Split ``sys.getsizeof(obj)`` into header, body, GC header and managed-dict words.

    ``header`` is the ``PyObject`` header (refcount and type pointer);
    ``body`` is the rest of ``__sizeof__`` (``ob_size``, digits, item
    pointers, slots); ``gc_header`` is the ``PyGC_Head`` in front of a
    GC-tracked type's objects; ``managed_dict`` is the two words a 3.11+
    instance with a ``__dict__`` keeps before it (3.12+ also counts a
    managed weak-reference list there). Works for any object.

    Returns:
        The parts; ``total`` equals ``sys.getsizeof(obj)``.

    Raises:
        TypeError, ValueError, OverflowError: what ``sys.getsizeof`` raises
            when the type's ``__sizeof__`` returns a non-int, a negative
            number or one too large for a C ``Py_ssize_t``.

    Complexity: O(1) for built-in types (``__sizeof__`` of a container does
    not visit its items).

    >>> class Point:
    ...     __slots__ = ("x", "y")
    >>> size_breakdown(Point())  # runs only locally: sizes differ in the page's 32-bit Python
    SizeBreakdown(type_name='Point', header=16, body=16, gc_header=16, managed_dict=0)
    >>> size_breakdown(2**30)
    SizeBreakdown(type_name='int', header=16, body=16, gc_header=0, managed_dict=0)
    >>> class Broken:
    ...     def __sizeof__(self):
    ...         return -1
    >>> size_breakdown(Broken())
    Traceback (most recent call last):
    ValueError: __sizeof__() should return >= 0, got -1
    """
    kind = type(obj)
    size = _checked_sizeof(kind.__sizeof__(obj))
    flags = kind.__flags__
    if _static_type_object(obj):
        gc_header = managed = 0
    else:
        gc_header = 2 * _WORD if flags & _HAVE_GC and not _FREE_THREADED else 0
        prefix = _MANAGED_DICT | (_MANAGED_WEAKREF if sys.version_info >= (3, 12) else 0)
        managed = 2 * _WORD if flags & prefix else 0
    header = min(object.__basicsize__, size)  # a __sizeof__ may under-report
    return SizeBreakdown(kind.__name__, header, size - header, gc_header, managed)


def _checked_sizeof(size: object) -> int:
    # The checks _PySys_GetSizeOf makes (Python/sysmodule.c), with the value.
    if not isinstance(size, int):
        raise TypeError(f"__sizeof__() must return an int, got {type(size).__name__}: {size!r}")
    if size < 0:
        raise ValueError(f"__sizeof__() should return >= 0, got {size!r}")
    if size > sys.maxsize:
        raise OverflowError(f"__sizeof__() returned {size!r}, more than sys.maxsize")
    return size


def _static_type_object(obj: object) -> bool:
    # Since 3.13 sys.getsizeof adds no pre-header for a statically allocated
    # type such as ``int`` (CPython gh-112529): it has no PyGC_Head in memory.
    return (
        sys.version_info >= (3, 13)
        and isinstance(obj, type)
        and type(obj) is type
        and not obj.__flags__ & _HEAPTYPE
    )
