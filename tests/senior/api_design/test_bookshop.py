"""The domain: keyset pages against a sorted-list model, cursors, compare-and-set, bad input."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.senior.api_design.bookshop import (
    Bookshop,
    NotFoundError,
    VersionMismatchError,
    decode_cursor,
    encode_cursor,
)


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(0, 40),
    limit=st.integers(1, 100),
    inserts=st.lists(st.integers(0, 10), max_size=5),
)
def test_a_cursor_walk_sees_every_book_once_even_with_inserts(n, limit, inserts):
    shop = Bookshop.sample(books=n, authors=2)
    seen: list[int] = []
    after, step = 0, 0
    while True:
        page = shop.list_books(after=after, limit=limit)
        seen += [b.id for b in page]
        if step < len(inserts):  # a writer adds books between page requests
            for _ in range(inserts[step]):
                shop.add_book("new", 1, 1)
            step += 1
        if len(page) < limit:
            break
        after = decode_cursor(encode_cursor(page[-1].id))
    # model: every id that existed when its page was read, once, in order
    shop._check_invariants()
    assert seen == sorted(set(seen))
    assert seen[:n] == list(range(1, n + 1))


def test_offset_pagination_skips_a_row_when_one_is_deleted_keyset_does_not():
    ids = list(range(1, 11))
    first = ids[0:5]
    del ids[0]  # a row on the first page is deleted between requests
    offset_second = ids[5:10]  # OFFSET 5: book 6 is never shown
    keyset_second = [i for i in ids if i > first[-1]][:5]
    assert 6 not in first + offset_second
    assert keyset_second == [6, 7, 8, 9, 10]


@given(st.integers(0, 2**63))
def test_cursor_round_trip(after):
    assert decode_cursor(encode_cursor(after)) == after


@pytest.mark.parametrize(
    "cursor", ["", "!!", "eyJ4IjoxfQ", "WzFd", "eyJhZnRlciI6LTF9", "eyJhZnRlciI6dHJ1ZX0", "é"]
)
def test_decode_cursor_rejects_forged_or_broken_tokens(cursor):
    with pytest.raises(ValueError, match="invalid cursor"):
        decode_cursor(cursor)


def test_compare_and_set_prevents_a_lost_update():
    shop = Bookshop.sample(books=1, authors=1)
    alice = bob = shop.get_book(1)  # both read version 1
    shop.set_price(1, 900, expected_version=alice.version)
    with pytest.raises(VersionMismatchError, match="at version 2, not 1"):
        shop.set_price(1, 800, expected_version=bob.version)
    assert shop.get_book(1).price_cents == 900
    shop._check_invariants()


def test_query_counter_counts_each_backend_read():
    shop = Bookshop.sample(books=3, authors=2)
    shop.get_book(1)
    shop.list_books()
    shop.get_author(1)
    shop.get_authors([1, 2, 2, 99])
    assert shop.queries == 4
    with pytest.raises(NotFoundError):
        shop.get_author(99)


@pytest.mark.parametrize(
    ("call", "error", "fragment"),
    [
        (lambda s: s.add_book("t", True, 1), TypeError, "author_id must be an int, got bool"),
        (lambda s: s.add_book("t", 1, -1), ValueError, "price_cents must be in"),
        (lambda s: s.add_book("t", 1, math.nan), TypeError, "got float: nan"),
        (lambda s: s.add_book("", 1, 1), ValueError, "title must be a non-empty str"),
        (lambda s: s.add_book(None, 1, 1), TypeError, "title must be a str"),
        (lambda s: s.add_book("t", 1, 10**12), ValueError, "price_cents must be in"),
        (lambda s: s.list_books(limit=0), ValueError, "limit must be in [1, 100], got 0"),
        (lambda s: s.list_books(after=-1), ValueError, "after must be >= 0, got -1"),
        (lambda s: s.list_books(limit=math.inf), TypeError, "limit must be an int"),
        (lambda s: s.get_book("1"), TypeError, "book_id must be an int, got str"),
        (lambda s: s.get_authors([1.0]), TypeError, "author id must be an int"),
        (lambda s: s.set_price(1, 5, expected_version=0), ValueError, "expected_version"),
        (lambda s: s.add_author(3), TypeError, "name must be a str"),
        (lambda s: encode_cursor(-1), ValueError, "after must be >= 0, got -1"),
        (lambda s: decode_cursor(b"x"), TypeError, "cursor must be a str"),
        (lambda s: Bookshop.sample(books=-1, authors=1), ValueError, "books must be in"),
    ],
)
def test_bad_input(call, error, fragment):
    shop = Bookshop.sample(books=1, authors=1)
    with pytest.raises(error) as info:
        call(shop)
    assert fragment in str(info.value)


def test_unknown_ids_are_not_found():
    shop = Bookshop.sample(books=1, authors=1)
    with pytest.raises(NotFoundError, match="no author with id 5"):
        shop.add_book("t", 5, 1)
    with pytest.raises(NotFoundError, match="no book with id 2"):
        shop.set_price(2, 1, expected_version=1)
