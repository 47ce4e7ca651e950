"""Linked lists: rewire ``next`` pointers in place, with a dummy head and fast/slow pointers.

Invariant: at every step the nodes already processed form a well-formed list
(reversed, merged, ...) and the rest is still reachable from a saved pointer;
losing that pointer loses the rest of the list. A dummy node before the head
removes the special case of changing the head; a fast pointer moving two
steps per slow step finds the middle, the n-th from the end and cycles in
O(1) extra space.

>>> ListNode.to_list(reverse_linked_list(ListNode.from_list([1, 2, 3])))
[3, 2, 1]
"""

from __future__ import annotations

from collections.abc import Callable

from ._validate import require_int, require_linked_list, require_node
from .nodes import ListNode

__all__ = [
    "PROBLEMS",
    "LRUCache",
    "linked_list_cycle",
    "merge_two_sorted_lists",
    "middle_of_the_linked_list",
    "remove_nth_node_from_end_of_list",
    "reorder_list",
    "reverse_linked_list",
]


def reverse_linked_list(head: ListNode | None) -> ListNode | None:
    """Reverse the list in place; return the new head.

    Args:
        head: the first node, or ``None``.

    Returns:
        The old tail (``None`` for the empty list).

    Raises:
        TypeError: ``head`` is not a ListNode or None.
        ValueError: the list has a cycle.

    Complexity: O(n) time, O(1) space.

    >>> reverse_linked_list(None) is None
    True
    """
    require_linked_list("head", head, ListNode)
    prev: ListNode | None = None
    node = head
    while node is not None:
        # Save the rest before overwriting the only pointer to it.
        node.next, prev, node = prev, node, node.next
    return prev


def merge_two_sorted_lists(list1: ListNode | None, list2: ListNode | None) -> ListNode | None:
    """Splice two ascending lists into one ascending list (stable: ties take ``list1`` first).

    Args:
        list1: the head of the first sorted list.
        list2: the head of the second sorted list.

    Returns:
        The head of the merged list, made of the original nodes.

    Raises:
        TypeError: a head is not a ListNode or None.
        ValueError: a list has a cycle or is not ascending.

    Complexity: O(m + n) time, O(1) space.

    >>> merged = merge_two_sorted_lists(ListNode.from_list([1, 2, 4]), ListNode.from_list([1, 3]))
    >>> ListNode.to_list(merged)
    [1, 1, 2, 3, 4]
    """
    require_linked_list("list1", list1, ListNode, ascending=True)
    require_linked_list("list2", list2, ListNode, ascending=True)
    dummy = tail = ListNode()
    a, b = list1, list2
    while a is not None and b is not None:
        if a.val <= b.val:
            tail.next, a = a, a.next
        else:
            tail.next, b = b, b.next
        tail = tail.next
    tail.next = a if a is not None else b  # one list is exhausted: append the other whole
    return dummy.next


def linked_list_cycle(head: ListNode | None) -> bool:
    """Return whether following ``next`` from ``head`` ever loops (Floyd's tortoise and hare).

    Args:
        head: the first node, or ``None``.

    Returns:
        ``True`` if the list has a cycle.

    Raises:
        TypeError: ``head`` is not a ListNode or None.

    Complexity: O(n) time, O(1) space.

    >>> linked_list_cycle(ListNode.from_list([3, 2, 0, -4], cycle_to=1))
    True
    >>> linked_list_cycle(ListNode.from_list([1]))
    False
    """
    require_node("head", head, ListNode)
    slow: ListNode | None = head
    fast = head
    # slow trails fast, so it is never None while fast is not: the third test only informs mypy.
    while fast is not None and fast.next is not None and slow is not None:
        slow, fast = slow.next, fast.next.next
        if slow is fast:  # inside a cycle the gap shrinks by one per step, so they meet
            return True
    return False


def reorder_list(head: ListNode | None) -> None:
    """Reorder ``L0, L1, ..., Ln`` into ``L0, Ln, L1, Ln-1, ...`` in place.

    Args:
        head: the first node, or ``None``.

    Raises:
        TypeError: ``head`` is not a ListNode or None.
        ValueError: the list has a cycle.

    Complexity: O(n) time, O(1) space.

    >>> head = ListNode.from_list([1, 2, 3, 4, 5])
    >>> reorder_list(head)
    >>> ListNode.to_list(head)
    [1, 5, 2, 4, 3]
    """
    require_linked_list("head", head, ListNode)
    if head is None:
        return
    # 1. Find the end of the first half (the middle for odd lengths).
    slow, fast = head, head
    while fast.next is not None and fast.next.next is not None and slow.next is not None:
        slow, fast = slow.next, fast.next.next
    # 2. Cut and reverse the second half.
    second = reverse_linked_list(slow.next)
    slow.next = None
    # 3. Interleave: first-half node, then second-half node.
    first: ListNode | None = head
    while second is not None and first is not None:
        first_next, second_next = first.next, second.next
        first.next, second.next = second, first_next
        first, second = first_next, second_next


def remove_nth_node_from_end_of_list(head: ListNode | None, n: int) -> ListNode | None:
    """Remove the ``n``-th node from the end in one pass; return the head.

    Args:
        head: the first node, or ``None``.
        n: 1 for the last node, 2 for the one before, ...

    Returns:
        The head of the shortened list (``None`` if it becomes empty).

    Raises:
        TypeError: ``head`` is not a ListNode or None, or ``n`` not an int.
        ValueError: ``n`` is not in ``1..length``, or the list has a cycle.

    Complexity: O(length) time, O(1) space.

    >>> ListNode.to_list(remove_nth_node_from_end_of_list(ListNode.from_list([1, 2, 3, 4, 5]), 2))
    [1, 2, 3, 5]
    >>> remove_nth_node_from_end_of_list(ListNode.from_list([1]), 2)
    Traceback (most recent call last):
        ...
    ValueError: n must be in 1..1, got 2
    """
    require_linked_list("head", head, ListNode)
    require_int("n", n, minimum=1)
    dummy = ListNode(0, head)  # lets us remove the head like any other node
    lead = head
    for length_so_far in range(n):  # put lead n nodes ahead of trail
        if lead is None:
            raise ValueError(f"n must be in 1..{length_so_far}, got {n!r}")
        lead = lead.next
    trail: ListNode | None = dummy
    while lead is not None and trail is not None:
        lead, trail = lead.next, trail.next
    # lead fell off the end, so trail is just before the node to remove.
    if trail is not None and trail.next is not None:
        trail.next = trail.next.next
    return dummy.next


def middle_of_the_linked_list(head: ListNode | None) -> ListNode | None:
    """Return the middle node (the second of the two middles for even lengths).

    Args:
        head: the first node, or ``None``.

    Returns:
        The middle node, or ``None`` for the empty list.

    Raises:
        TypeError: ``head`` is not a ListNode or None.
        ValueError: the list has a cycle.

    Complexity: O(n) time, O(1) space.

    >>> middle_of_the_linked_list(ListNode.from_list([1, 2, 3, 4, 5, 6]))
    ListNode([4, 5, 6])
    """
    require_linked_list("head", head, ListNode)
    slow: ListNode | None = head
    fast = head
    while fast is not None and fast.next is not None and slow is not None:
        slow, fast = slow.next, fast.next.next  # when fast reaches the end, slow is halfway
    return slow


class _Entry:
    """A doubly linked node of the LRU list."""

    __slots__ = ("key", "next", "prev", "value")

    def __init__(self, key: int = 0, value: int = 0) -> None:
        self.key = key
        self.value = value
        self.prev: _Entry = self
        self.next: _Entry = self


class LRUCache:
    """A fixed-capacity cache that evicts the least recently used key; O(1) ``get`` and ``put``.

    A dict maps keys to nodes of a doubly linked list kept in recency order
    (most recent next to the sentinel's ``next``). The dict finds a node in O(1);
    the list moves or removes it in O(1), which neither structure can do alone.

    Args:
        capacity: the most keys kept.

    Raises:
        TypeError: ``capacity`` is not an int (``1.5`` and ``True`` included).
        ValueError: ``capacity`` is not positive.

    >>> cache = LRUCache(2)
    >>> cache.put(1, 1); cache.put(2, 2)
    >>> cache.get(1)
    1
    >>> cache.put(3, 3)  # evicts key 2, the least recently used
    >>> cache.get(2)
    -1
    >>> LRUCache(0)
    Traceback (most recent call last):
        ...
    ValueError: capacity must be positive, got 0
    >>> LRUCache(1.5)
    Traceback (most recent call last):
        ...
    TypeError: capacity must be an int, got 1.5
    """

    def __init__(self, capacity: int) -> None:
        require_int("capacity", capacity)
        if capacity < 1:
            raise ValueError(f"capacity must be positive, got {capacity!r}")
        self.capacity = capacity
        self._map: dict[int, _Entry] = {}
        self._head = _Entry()  # sentinel: head.next is most recent, head.prev least recent

    def get(self, key: int) -> int:
        """Return the value of ``key`` (marking it most recent), or -1 if absent.

        Args:
            key: the key.

        Returns:
            The value, or -1 (LeetCode's convention).

        Complexity: O(1) expected.

        >>> LRUCache(1).get(7)
        -1
        """
        require_int("key", key)
        entry = self._map.get(key)
        if entry is None:
            return -1
        self._unlink(entry)
        self._push_front(entry)
        return entry.value

    def put(self, key: int, value: int) -> None:
        """Insert or update ``key``; evict the least recently used key if over capacity.

        Args:
            key: the key.
            value: the value.

        Complexity: O(1) expected.

        >>> cache = LRUCache(1)
        >>> cache.put(1, 10); cache.put(1, 11); cache.get(1)
        11
        """
        require_int("key", key)
        require_int("value", value)
        entry = self._map.get(key)
        if entry is not None:
            entry.value = value
            self._unlink(entry)
        else:
            if len(self._map) == self.capacity:
                oldest = self._head.prev
                self._unlink(oldest)
                del self._map[oldest.key]
            entry = self._map[key] = _Entry(key, value)
        self._push_front(entry)

    def _unlink(self, entry: _Entry) -> None:
        entry.prev.next, entry.next.prev = entry.next, entry.prev

    def _push_front(self, entry: _Entry) -> None:
        first = self._head.next
        entry.prev, entry.next = self._head, first
        self._head.next = first.prev = entry

    def keys_by_recency(self) -> list[int]:
        """Return the keys, most recently used first. Complexity: O(n).

        Returns:
            The keys.

        >>> cache = LRUCache(3)
        >>> cache.put(1, 1); cache.put(2, 2); cache.get(1)
        1
        >>> cache.keys_by_recency()
        [1, 2]
        """
        out: list[int] = []
        node = self._head.next
        while node is not self._head:
            out.append(node.key)
            node = node.next
        return out

    def _check_invariants(self) -> None:
        keys = self.keys_by_recency()
        if len(keys) > self.capacity:
            raise AssertionError(f"{len(keys)} keys exceed capacity {self.capacity}")
        if sorted(keys) != sorted(self._map):
            raise AssertionError("the list and the map hold different keys")
        node = self._head
        for _ in range(len(keys) + 1):
            if node.next.prev is not node:
                raise AssertionError(f"broken back link after key {node.key!r}")
            node = node.next
        for key, entry in self._map.items():
            if entry.key != key:
                raise AssertionError(f"map key {key!r} points at entry {entry.key!r}")


PROBLEMS: dict[str, Callable[..., object]] = {
    "LRU Cache": LRUCache,
    "Linked List Cycle": linked_list_cycle,
    "Merge Two Sorted Lists": merge_two_sorted_lists,
    "Middle of the Linked List": middle_of_the_linked_list,
    "Remove Nth Node From End of List": remove_nth_node_from_end_of_list,
    "Reorder List": reorder_list,
    "Reverse Linked List": reverse_linked_list,
}
