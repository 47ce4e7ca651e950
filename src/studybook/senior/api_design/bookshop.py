"""The bookshop every API style in this chapter exposes: authors, books, keyset pages.

The domain knows nothing about HTTP, GraphQL or protobuf; REST, GraphQL and
gRPC are three adapters over this one object, so the chapter can compare them
on identical operations. Every read counts as one *backend query* in
``queries``, the number a database would see; the GraphQL N+1 problem and its
fix are measured with that counter.

>>> shop = Bookshop.sample(books=3, authors=2)
>>> [b.title for b in shop.list_books(limit=2)]
['Book 1', 'Book 2']
>>> shop.get_authors([1, 2, 1])
{1: Author(id=1, name='Author 1'), 2: Author(id=2, name='Author 2')}
>>> shop.queries
2
"""

from __future__ import annotations

import base64
import binascii
import json
import threading
from collections.abc import Iterable
from dataclasses import dataclass, replace

from studybook._validate import check_int, check_str

__all__ = [
    "MAX_PAGE",
    "Author",
    "Book",
    "Bookshop",
    "NotFoundError",
    "VersionMismatchError",
    "decode_cursor",
    "encode_cursor",
]

MAX_PAGE = 100
"""The largest page a client may ask for (a server caps every list it returns)."""


class NotFoundError(KeyError):
    """No book or author with that id."""


class VersionMismatchError(ValueError):
    """An update named a version of the book that is no longer current (a lost update avoided)."""


@dataclass(frozen=True)
class Author:
    """An author: an id and a name."""

    id: int
    name: str


@dataclass(frozen=True)
class Book:
    """A book; ``version`` grows by one on every change (the optimistic-concurrency token)."""

    id: int
    title: str
    author_id: int
    price_cents: int
    version: int = 1


class Bookshop:
    """An in-memory, thread-safe catalogue of authors and books with a query counter.

    Ids are assigned in increasing order, so "the books after id ``k``" is a
    stable keyset page even while books are added (see :func:`encode_cursor`).

    Complexity: reads by id O(1); a page of ``limit`` books O(n) here (a
    database serves it in O(log n + limit) from the primary-key index).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._authors: dict[int, Author] = {}
        self._books: dict[int, Book] = {}
        self.queries = 0

    @classmethod
    def sample(cls, *, books: int, authors: int) -> Bookshop:
        """A deterministic shop: book ``i`` is by author ``(i - 1) % authors + 1``.

        >>> Bookshop.sample(books=1, authors=0)
        Traceback (most recent call last):
            ...
        ValueError: authors must be in [1, 10000], got 0
        """
        check_int(books, "books", minimum=0, maximum=10_000)
        check_int(authors, "authors", minimum=1, maximum=10_000)
        shop = cls()
        for a in range(1, authors + 1):
            shop.add_author(f"Author {a}")
        for i in range(1, books + 1):
            shop.add_book(f"Book {i}", (i - 1) % authors + 1, 1000 + i)
        return shop

    def add_author(self, name: str) -> Author:
        """Store a new author and return it.

        >>> Bookshop().add_author("")
        Traceback (most recent call last):
            ...
        ValueError: name must be a non-empty str, got ''
        """
        check_str(name, "name", nonempty=True)
        with self._lock:
            author = Author(len(self._authors) + 1, name)
            self._authors[author.id] = author
            return author

    def add_book(self, title: str, author_id: int, price_cents: int) -> Book:
        """Store a new book by an existing author and return it.

        Raises:
            TypeError, ValueError: a bad argument.
            NotFoundError: no such author.

        >>> Bookshop().add_book("Dune", 7, 999)
        Traceback (most recent call last):
            ...
        studybook.senior.api_design.bookshop.NotFoundError: 'no author with id 7'
        """
        check_str(title, "title", nonempty=True)
        check_int(author_id, "author_id", minimum=1)
        check_int(price_cents, "price_cents", minimum=0, maximum=10**9)
        with self._lock:
            if author_id not in self._authors:
                raise NotFoundError(f"no author with id {author_id}")
            book = Book(len(self._books) + 1, title, author_id, price_cents)
            self._books[book.id] = book
            return book

    def get_book(self, book_id: int) -> Book:
        """One query: the book with this id.

        >>> Bookshop().get_book(1)
        Traceback (most recent call last):
            ...
        studybook.senior.api_design.bookshop.NotFoundError: 'no book with id 1'
        """
        check_int(book_id, "book_id")
        with self._lock:
            self.queries += 1
            if book_id not in self._books:
                raise NotFoundError(f"no book with id {book_id}")
            return self._books[book_id]

    def list_books(self, *, after: int = 0, limit: int = 10) -> list[Book]:
        """One query: up to ``limit`` books with ids greater than ``after``, by id.

        >>> Bookshop.sample(books=5, authors=1).list_books(after=3, limit=10)[0].id
        4
        >>> Bookshop().list_books(limit=101)
        Traceback (most recent call last):
            ...
        ValueError: limit must be in [1, 100], got 101
        """
        check_int(after, "after", minimum=0)
        check_int(limit, "limit", minimum=1, maximum=MAX_PAGE)
        with self._lock:
            self.queries += 1
            page = sorted(i for i in self._books if i > after)[:limit]
            return [self._books[i] for i in page]

    def get_author(self, author_id: int) -> Author:
        """One query: the author with this id (what a naive resolver calls per book).

        Raises:
            TypeError: ``author_id`` is not an int.
            NotFoundError: no such author.
        """
        check_int(author_id, "author_id")
        with self._lock:
            self.queries += 1
            if author_id not in self._authors:
                raise NotFoundError(f"no author with id {author_id}")
            return self._authors[author_id]

    def get_authors(self, author_ids: Iterable[int]) -> dict[int, Author]:
        """One query for many authors (``WHERE id IN (...)``); unknown ids are left out.

        Returns:
            the authors found, keyed by id in increasing order.

        Raises:
            TypeError: an id is not an int.

        Complexity: O(k log k) for k ids (sorted), one backend query.
        """
        ids = [check_int(i, "author id") for i in author_ids]
        with self._lock:
            self.queries += 1
            return {i: self._authors[i] for i in sorted(set(ids)) if i in self._authors}

    def set_price(self, book_id: int, price_cents: int, *, expected_version: int) -> Book:
        """Change a price if the book is still at ``expected_version`` (compare-and-set).

        Raises:
            NotFoundError: no such book.
            VersionMismatchError: someone changed the book since the caller read it.

        >>> shop = Bookshop.sample(books=1, authors=1)
        >>> shop.set_price(1, 500, expected_version=1)
        Book(id=1, title='Book 1', author_id=1, price_cents=500, version=2)
        >>> shop.set_price(1, 600, expected_version=1)
        Traceback (most recent call last):
            ...
        studybook.senior.api_design.bookshop.VersionMismatchError: book 1 is at version 2, not 1
        """
        check_int(book_id, "book_id")
        check_int(price_cents, "price_cents", minimum=0, maximum=10**9)
        check_int(expected_version, "expected_version", minimum=1)
        with self._lock:
            book = self._books.get(book_id)
            if book is None:
                raise NotFoundError(f"no book with id {book_id}")
            if book.version != expected_version:
                raise VersionMismatchError(
                    f"book {book_id} is at version {book.version}, not {expected_version}"
                )
            book = replace(book, price_cents=price_cents, version=book.version + 1)
            self._books[book_id] = book
            return book

    def _check_invariants(self) -> None:
        """Raise AssertionError unless ids are 1..n, every author exists, versions are >= 1."""
        with self._lock:
            _require(list(self._authors) == list(range(1, len(self._authors) + 1)), "author ids")
            _require(list(self._books) == list(range(1, len(self._books) + 1)), "book ids")
            for book_id, book in self._books.items():
                _require(book.id == book_id, f"book {book_id} stored as {book.id}")
                _require(book.author_id in self._authors, f"book {book_id} has no author")
                _require(book.version >= 1, f"book {book_id} at version {book.version}")


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise AssertionError(message)


def encode_cursor(after: int) -> str:
    """An opaque page token for "the books after id ``after``" (keyset pagination).

    Opaque so that clients do not build or edit one and the server may change
    what it holds; keyset so that an insert never shifts a page (an offset does).
    Opaque is not secret: base64 is an encoding, so a client *can* forge a
    token for any id; sign it (an HMAC) when that must be refused.

    >>> encode_cursor(10)
    'eyJhZnRlciI6MTB9'
    >>> decode_cursor(encode_cursor(10))
    10
    """
    check_int(after, "after", minimum=0)
    raw = json.dumps({"after": after}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """The id a cursor from :func:`encode_cursor` stands for.

    Raises:
        TypeError: not a str.
        ValueError: not a cursor this server issued.

    >>> decode_cursor("not-a-cursor")
    Traceback (most recent call last):
        ...
    ValueError: invalid cursor 'not-a-cursor'
    """
    check_str(cursor, "cursor")
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        after = value["after"]
        # base64 decoding skips characters outside its alphabet and JSON
        # allows spaces, so many strings decode to one id: accept only the
        # exact token encode_cursor issues.
        if encode_cursor(after) != cursor:
            raise ValueError(cursor)
    except (ValueError, TypeError, KeyError, binascii.Error):
        raise ValueError(f"invalid cursor {cursor!r}") from None
    return int(after)
