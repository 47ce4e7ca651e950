"""The core data structures, written from scratch and checked against Python's own.

Seven structures cover most of what interviews ask, one submodule each:
a dynamic array (:class:`~.dynamic_array.DynamicArray`), a stack
(:class:`~.stack.Stack`), a FIFO ring buffer (:class:`~.ring_buffer.RingBuffer`),
a hash map with open addressing (:class:`~.hash_map.HashMap`), binary search
trees (:class:`~.bst.BinarySearchTree`, :class:`~.bst.AVLTree`), a binary heap
(:class:`~.heap.MinHeap`) and a trie (:class:`~.trie.Trie`). Interviewers ask about
them because every algorithm question is secretly a question of which
structure makes the expensive operation cheap, and because each has one
invariant whose violation is the classic bug.

Invariants: each class documents its own and checks it in
``_check_invariants()``; the tests call it after every operation while
comparing the structure with a ``list``, ``dict``, ``heapq``, ``bisect`` or
``set`` model.

==================  ==============  ==============  ==============
structure           access/search   insert          delete
==================  ==============  ==============  ==============
DynamicArray        O(1) by index   O(1) am. (end)  O(1) am. (end)
Stack / RingBuffer  O(1) (top/end)  O(1)            O(1)
HashMap             O(1) expected   O(1) expected   O(1) expected
BinarySearchTree    O(h)            O(h)            O(h)
AVLTree             O(log n)        O(log n)        O(log n)
MinHeap             O(1) (min)      O(log n)        O(log n) (min)
Trie                O(m)            O(m)            O(m)
==================  ==============  ==============  ==============

>>> m = HashMap()
>>> m["k"] = MinHeap.heapify([3, 1, 2])
>>> m["k"].pop()
1

Primary source: T. H. Cormen, C. E. Leiserson, R. L. Rivest, C. Stein,
*Introduction to Algorithms* (3rd ed., 2009), parts III (data structures) and
chapters 6, 11-13; each submodule names the paper it follows.
"""

from __future__ import annotations

import random
from typing import TextIO

from studybook.dsa.data_structures.bst import AVLTree, BinarySearchTree
from studybook.dsa.data_structures.dynamic_array import DynamicArray
from studybook.dsa.data_structures.hash_map import HashMap
from studybook.dsa.data_structures.heap import MinHeap
from studybook.dsa.data_structures.ring_buffer import BufferFullError, RingBuffer
from studybook.dsa.data_structures.stack import Stack
from studybook.dsa.data_structures.trie import Trie

__all__ = [
    "AVLTree",
    "BinarySearchTree",
    "BufferFullError",
    "DynamicArray",
    "HashMap",
    "MinHeap",
    "RingBuffer",
    "Stack",
    "Trie",
    "demo",
]


def demo(out: TextIO) -> None:
    """Narrate one short run of every structure to ``out``, with the measured costs.

    Every figure comes from the structures' own counters (copies, probes,
    heights); the keys of the probe table are drawn from a seeded generator,
    so the output is the same on every run.

    >>> import io
    >>> buf = io.StringIO()
    >>> demo(buf)
    >>> print(buf.getvalue(), end="")
    DynamicArray: 1000 appends made 1023 element copies (1.02 per append), capacity 1024
    DynamicArray(4.0): a full block of 64 grows to 256; then 100 pop/append pairs: 0 resizes
    Stack: pushed '([{', popped '{' first (LIFO)
    RingBuffer(3, overwrite=True) after appending 0..4 holds [2, 3, 4]
    HashMap probes per lookup, measured on random int keys, against Knuth (TAOCP 6.4):
      keys  slots  load   hit  Knuth   miss  Knuth
      1365   2048  0.67  2.01   2.00   5.07   5.00
      1000   2048  0.49  1.42   1.48   2.27   2.41
      2700   8192  0.33  1.26   1.25   1.61   1.61
    1000 sorted inserts: BinarySearchTree height 1000, AVLTree height 10
    MinHeap.heapify([5, 3, 9, 1, 7]) pops [1, 3, 5, 7, 9]
    Trie: words with prefix 'te' -> ['tea', 'ten']
    """
    array: DynamicArray[int] = DynamicArray()
    for i in range(1000):
        array.append(i)
    out.write(
        f"DynamicArray: 1000 appends made {array.copies} element copies "
        f"({array.copies / 1000:.2f} per append), capacity {array.capacity}\n"
    )
    wide: DynamicArray[int] = DynamicArray(4.0)
    for i in range(65):
        wide.append(i)
    resizes = wide.resizes
    for _ in range(100):
        wide.pop()
        wide.append(0)
    out.write(
        f"DynamicArray(4.0): a full block of 64 grows to {wide.capacity}; "
        f"then 100 pop/append pairs: {wide.resizes - resizes} resizes\n"
    )

    stack: Stack[str] = Stack()
    for ch in "([{":
        stack.push(ch)
    out.write(f"Stack: pushed '([{{', popped {stack.pop()!r} first (LIFO)\n")

    ring: RingBuffer[int] = RingBuffer(3, overwrite=True)
    for i in range(5):
        ring.append(i)
    out.write(f"RingBuffer(3, overwrite=True) after appending 0..4 holds {list(ring)}\n")

    out.write(
        "HashMap probes per lookup, measured on random int keys, against Knuth (TAOCP 6.4):\n"
    )
    out.write("  keys  slots  load   hit  Knuth   miss  Knuth\n")
    for n in (1365, 1000, 2700):
        out.write(_probe_row(n))

    plain: BinarySearchTree[int] = BinarySearchTree()
    balanced: AVLTree[int] = AVLTree()
    for i in range(1000):
        plain.insert(i)
        balanced.insert(i)
    out.write(
        f"1000 sorted inserts: BinarySearchTree height {plain.height()}, "
        f"AVLTree height {balanced.height()}\n"
    )

    heap = MinHeap.heapify([5, 3, 9, 1, 7])
    out.write(f"MinHeap.heapify([5, 3, 9, 1, 7]) pops {[heap.pop() for _ in range(5)]}\n")

    trie = Trie()
    for word in ["tea", "ten", "to", "inn", "in"]:
        trie.insert(word)
    out.write(f"Trie: words with prefix 'te' -> {trie.words_with_prefix('te')}\n")


def _probe_row(n: int) -> str:
    """One row of the probe table: n random keys present, n others absent."""
    rng = random.Random(n)  # noqa: S311 - seeded test data, not secrets
    # The keys rng.sample(range(10**12), 2 * n) would draw, drawn one by one:
    # sample() needs len(range(10**12)), which overflows a 32-bit ssize_t,
    # as under Pyodide (the book's Run buttons).
    keys: list[int] = []
    drawn: set[int] = set()
    while len(keys) < 2 * n:
        key = rng.randrange(10**12)
        if key not in drawn:
            drawn.add(key)
            keys.append(key)
    table: HashMap[int] = HashMap()
    for k in keys[:n]:
        table[k] = k
    load = table.load_factor()
    before = table.probes
    for k in keys[:n]:
        table[k]
    hit = (table.probes - before) / n
    before = table.probes
    for k in keys[n:]:
        _ = k in table
    miss = (table.probes - before) / n
    knuth_hit, knuth_miss = (1 + 1 / (1 - load)) / 2, (1 + 1 / (1 - load) ** 2) / 2
    return (
        f"  {n:4d}  {table.capacity:5d}  {load:.2f}  {hit:4.2f}  {knuth_hit:5.2f}  "
        f"{miss:5.2f}  {knuth_miss:5.2f}\n"
    )
