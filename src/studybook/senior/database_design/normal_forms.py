"""Normal forms from functional dependencies: closure, candidate keys, 2NF, 3NF, BCNF.

A functional dependency (FD) ``X -> Y`` says that rows agreeing on ``X``
agree on ``Y``. The normal forms are rules about which FDs a table may hold
without storing one fact in many rows (and so letting the copies disagree):

- **2NF**: no non-key column depends on *part* of a candidate key;
- **3NF**: for every FD ``X -> A``, ``X`` is a superkey or ``A`` is prime
  (belongs to some candidate key);
- **BCNF**: for every FD ``X -> A``, ``X`` is a superkey.

1NF (atomic values, no repeating groups) is about the columns' types, not
FDs, so every relation given here is taken to be in 1NF already.

>>> fds = parse_fds("order_id -> customer_id; customer_id -> email")
>>> normal_form({"order_id", "customer_id", "email"}, fds)
('2NF', 'customer_id -> email')

Source: E. F. Codd, "Further Normalization of the Data Base Relational
Model", 1971 (2NF, 3NF); Codd, "Recent Investigations in Relational Data Base
Systems", 1974 (BCNF).
"""

from __future__ import annotations

from collections.abc import Iterable, Set
from itertools import combinations

from studybook._validate import check_str

__all__ = ["FD", "candidate_keys", "closure", "normal_form", "parse_fds"]

FD = tuple[frozenset[str], frozenset[str]]
"""A functional dependency ``(left, right)``."""


def parse_fds(text: str) -> list[FD]:
    """Parse ``"a, b -> c; c -> d"`` into FDs.

    Raises:
        TypeError: ``text`` is not a str.
        ValueError: a part without exactly one ``->`` or with an empty side.

    Complexity: O(len(text)).

    >>> [(sorted(left), sorted(right)) for left, right in parse_fds("isbn -> title, author_id")]
    [(['isbn'], ['author_id', 'title'])]
    >>> parse_fds("isbn title")
    Traceback (most recent call last):
        ...
    ValueError: an FD needs one '->' between non-empty sides, got 'isbn title'
    """
    check_str(text, "text")
    fds = []
    for part in text.split(";"):
        if not part.strip():
            continue
        sides = part.split("->")
        names = [frozenset(n.strip() for n in side.split(",") if n.strip()) for side in sides]
        if len(names) != 2 or not names[0] or not names[1]:
            raise ValueError(f"an FD needs one '->' between non-empty sides, got {part.strip()!r}")
        fds.append((names[0], names[1]))
    return fds


def closure(attrs: Iterable[str], fds: Iterable[FD]) -> frozenset[str]:
    """Every attribute that ``attrs`` determines under ``fds`` (Armstrong's axioms).

    Complexity: O(f^2) set operations in the worst case, for f dependencies.

    >>> sorted(closure({"isbn"}, parse_fds("isbn -> author_id; author_id -> author_name")))
    ['author_id', 'author_name', 'isbn']
    """
    known = set(attrs)
    rules = list(fds)
    changed = True
    while changed:
        changed = False
        for left, right in rules:
            if left <= known and not right <= known:
                known |= right
                changed = True
    return frozenset(known)


def candidate_keys(schema: Set[str], fds: Iterable[FD]) -> list[tuple[str, ...]]:
    """The minimal column sets that determine the whole schema, as sorted tuples, smallest first.

    Tries subsets by size and skips supersets of keys found, so it is
    exponential in the number of columns: fine for a table, not for a warehouse.

    Raises:
        ValueError: an empty schema, or an FD naming a column not in it.

    Complexity: O(2^n) closures for n columns.

    >>> candidate_keys({"customer", "genre", "advisor"},
    ...                parse_fds("customer, genre -> advisor; advisor -> genre"))
    [('advisor', 'customer'), ('customer', 'genre')]
    """
    rules = _checked(schema, fds)
    columns = sorted(schema)
    keys: list[frozenset[str]] = []
    for size in range(1, len(columns) + 1):
        for combo in combinations(columns, size):
            candidate = frozenset(combo)
            if any(key <= candidate for key in keys):
                continue
            if closure(candidate, rules) >= schema:
                keys.append(candidate)
    return sorted((tuple(sorted(key)) for key in keys), key=lambda k: (len(k), k))


def _checked(schema: Set[str], fds: Iterable[FD]) -> list[FD]:
    if not isinstance(schema, Set) or not all(isinstance(c, str) for c in schema):
        raise TypeError(f"schema must be a set of column names, got {schema!r}")
    if not schema:
        raise ValueError(f"schema must not be empty, got {schema!r}")
    rules = list(fds)
    for left, right in rules:
        unknown = (left | right) - schema
        if unknown:
            raise ValueError(f"FD names columns not in the schema, got {sorted(unknown)!r}")
    return rules


def normal_form(schema: Set[str], fds: Iterable[FD]) -> tuple[str, str]:
    """The highest of 1NF, 2NF, 3NF, BCNF the schema meets, and the FD that stops it going higher.

    3NF and BCNF are tested on the FDs given (enough: if one implied FD
    breaks them, a given one does); 2NF also on what each proper subset of a
    key implies, since a partial dependency may only be implied. The second
    value is ``""`` for BCNF.

    Raises:
        TypeError: ``schema`` is not a set of str.
        ValueError: as :func:`candidate_keys`.

    Complexity: dominated by :func:`candidate_keys`.

    >>> normal_form({"customer", "genre", "advisor"},
    ...             parse_fds("customer, genre -> advisor; advisor -> genre"))
    ('3NF', 'advisor -> genre')
    >>> normal_form({"a", "b", "c", "d"}, parse_fds("a -> c; c -> a; a, c -> d"))
    ('1NF', 'a -> d')
    """
    rules = _checked(schema, fds)
    keys = [frozenset(key) for key in candidate_keys(schema, rules)]
    prime = frozenset().union(*keys)
    violations = []
    for left, right in rules:
        if closure(left, rules) >= schema:
            continue  # a superkey may determine anything
        for column in sorted(right - left):
            if column in prime:
                level = "3NF"  # BCNF is broken, 3NF allows a prime right side
            elif any(left < key for key in keys):
                level = "1NF"  # part of a key determines a non-key column: not 2NF
            else:
                level = "2NF"  # a non-key determines a non-key column: not 3NF
            violations.append((level, f"{', '.join(sorted(left))} -> {column}"))
    # 2NF is about *implied* dependencies too: with a key (a, b) and
    # a -> c, c -> a, a, c -> d, no given FD has part of a key on its left,
    # yet a -> d holds. So test the closure of every proper subset of each key.
    for key in keys:
        for size in range(1, len(key)):
            for part in combinations(sorted(key), size):
                for column in sorted(closure(part, rules) - prime):
                    violations.append(("1NF", f"{', '.join(part)} -> {column}"))
    if not violations:
        return "BCNF", ""
    return min(violations)
