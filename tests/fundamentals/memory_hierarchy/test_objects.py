"""size_breakdown against sys.getsizeof, the real oracle, and CPython 3.11's struct layouts."""

from __future__ import annotations

import struct
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studybook.fundamentals.memory_hierarchy import size_breakdown

WORD = struct.calcsize("P")


class Slots:
    __slots__ = ("a", "b", "c")


class Plain:
    def __init__(self):
        self.a = 1


values = st.one_of(
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=20),
    st.binary(max_size=20),
    st.lists(st.integers(), max_size=20),
    st.lists(st.integers(), max_size=20).map(tuple),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=10),
    st.frozensets(st.integers(), max_size=10),
    st.just(Slots()),
    st.just(Plain()),
    st.none(),
    st.booleans(),
)


@given(values)
def test_parts_add_up_to_getsizeof(value):
    b = size_breakdown(value)
    assert b.total == sys.getsizeof(value)
    assert b.header == 2 * WORD
    assert b.type_name == type(value).__name__


def test_layouts_checked_against_the_cpython_headers():
    # PyObject is ob_refcnt + ob_type; PyGC_Head is two words (pycore_gc.h).
    assert size_breakdown(object()).total == 2 * WORD
    assert size_breakdown(1.0).body == 8  # one C double
    tuple_ = size_breakdown((1, 2, 3))
    assert (tuple_.body, tuple_.gc_header) == (WORD + 3 * WORD, 2 * WORD)  # ob_size + 3 pointers
    empty_list = size_breakdown([])
    assert empty_list.body == 3 * WORD  # ob_size, ob_item, allocated
    slots = size_breakdown(Slots())
    assert (slots.body, slots.gc_header, slots.managed_dict) == (3 * WORD, 2 * WORD, 0)
    assert size_breakdown(Plain()).managed_dict == 2 * WORD  # 3.11+: dict and values pointers
    assert size_breakdown(1).gc_header == 0  # ints cannot form cycles: not GC-tracked


@pytest.mark.parametrize(("value", "digits"), [(1, 1), (2**30 - 1, 1), (2**30, 2), (2**60, 3)])
def test_ints_grow_by_one_30_bit_digit(value, digits):
    assert sys.int_info.bits_per_digit == 30
    assert size_breakdown(value).body == WORD + digits * sys.int_info.sizeof_digit


def returning(value):
    class Odd:
        def __sizeof__(self):
            return value

    return Odd()


@pytest.mark.parametrize("value", [-1, 3.5, "8", None, 2**100])
def test_a_broken_sizeof_raises_what_getsizeof_raises(value):
    obj = returning(value)
    with pytest.raises((TypeError, ValueError, OverflowError)) as expected:
        sys.getsizeof(obj)
    with pytest.raises(expected.type):
        size_breakdown(obj)


def test_an_under_reporting_sizeof_still_adds_up():
    b = size_breakdown(returning(3))
    assert (b.header, b.body, b.total) == (3, 0, sys.getsizeof(returning(3)))


@pytest.mark.parametrize("value", [int, type, Slots, Plain, sys, size_breakdown, (), True])
def test_types_modules_and_functions_add_up_too(value):
    # 3.13+ adds no pre-header for a static type such as int (CPython gh-112529).
    assert size_breakdown(value).total == sys.getsizeof(value)
