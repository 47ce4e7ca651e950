"""The bookshop as a GraphQL schema on ``graphql-core``, with the N+1 problem and its fix.

A GraphQL server is a schema (types and fields) plus one resolver per field.
Resolvers run field by field, so a list of ``n`` books whose ``author`` field
each look their author up issues ``1 + n`` backend queries: the N+1 problem.
A :class:`DataLoader` collects every key asked for in one tick of the event
loop and fetches them in a single batch: ``1 + 1`` queries whatever ``n`` is.

This module (with :mod:`~studybook.senior.api_design.grpc_api`) is the only one
in the chapter that imports an optional library: install ``studybook[api]``.

>>> from studybook.senior.api_design.bookshop import Bookshop
>>> shop = Bookshop.sample(books=10, authors=3)
>>> query = "{ books(first: 10) { items { title author { name } } } }"
>>> naive = execute(shop, query, batched=False); shop.queries
11
>>> shop.queries = 0
>>> batched = execute(shop, query, batched=True); shop.queries
2
>>> naive.data == batched.data
True
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import json
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import asdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Generic, TypeVar

from graphql import (
    DocumentNode,
    ExecutionResult,
    GraphQLError,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLSchema,
    build_schema,
    parse,
    validate,
)
from graphql import execute as execute_document

from studybook._validate import check_callable, check_str
from studybook.senior.api_design.bookshop import (
    MAX_PAGE,
    Author,
    Book,
    Bookshop,
    NotFoundError,
    decode_cursor,
    encode_cursor,
)

__all__ = ["SDL", "DataLoader", "GraphQLServer", "K", "V", "execute", "make_schema"]

SDL = """
type Query {
  book(id: Int!): Book
  books(first: Int! = 10, after: String): BookPage!
}

type Mutation {
  addBook(title: String!, authorId: Int!, priceCents: Int!): Book!
}

type BookPage {
  items: [Book!]!
  nextCursor: String
}

type Book {
  id: Int!
  title: String!
  priceCents: Int!
  version: Int!
  author: Author!
}

type Author {
  id: Int!
  name: String!
}
"""
"""The schema, written in the GraphQL schema definition language (the API's contract)."""

K = TypeVar("K")
"""The type of a :class:`DataLoader`'s keys (any hashable value)."""
V = TypeVar("V")
"""The type of the values a :class:`DataLoader` resolves its keys to."""


class DataLoader(Generic[K, V]):
    """Batch and cache loads made in one event-loop tick, after Facebook's DataLoader.

    ``load(key)`` returns a future at once; the first load of a tick schedules
    one call of ``batch_fn`` with every key requested in that tick. A key
    missing from the batch's result fails its future with ``KeyError``. The
    cache lives for one request: a fresh loader per request keeps users apart.

    Complexity: O(1) per ``load``; one ``batch_fn`` call per tick.

    >>> calls = []
    >>> def fetch(keys):
    ...     calls.append(keys)
    ...     return {k: k * 10 for k in keys}
    >>> async def main():
    ...     loader = DataLoader(fetch)
    ...     return await asyncio.gather(loader.load(1), loader.load(2), loader.load(1))
    >>> asyncio.run(main()), calls
    ([10, 20, 10], [[1, 2]])
    """

    def __init__(self, batch_fn: Callable[[list[K]], Mapping[K, V]]) -> None:
        check_callable(batch_fn, "batch_fn")
        self._batch_fn = batch_fn
        self._futures: dict[K, asyncio.Future[V]] = {}
        self._pending: list[K] = []

    def load(self, key: K) -> asyncio.Future[V]:
        """A future for ``key``'s value; the same future for a key asked twice.

        Args:
            key: a hashable key the batch function understands.

        Returns:
            a future that the next dispatch resolves with the key's value, or
            fails with ``KeyError`` (the batch left the key out) or with the
            batch function's own exception.

        Raises:
            RuntimeError: no event loop is running.

        Complexity: O(1); the batch itself runs once per tick.
        """
        future = self._futures.get(key)
        if future is None:
            loop = asyncio.get_running_loop()
            future = loop.create_future()
            self._futures[key] = future
            if not self._pending:
                loop.call_soon(self._dispatch)
            self._pending.append(key)
        return future

    def _dispatch(self) -> None:
        keys, self._pending = self._pending, []
        # This runs as a bare loop callback: an exception escaping it would
        # leave every future pending and its awaiter hanging, so each future
        # is settled whatever the batch function does.
        try:
            values = self._batch_fn(keys)
            if not isinstance(values, Mapping):
                raise TypeError(f"batch_fn must return a Mapping, got {type(values).__name__}")
        except Exception as e:
            for key in keys:
                self._settle(key, error=e)
            return
        for key in keys:
            if key in values:
                self._settle(key, value=values[key])
            else:
                self._settle(key, error=KeyError(key))

    def _settle(self, key: K, *, value: Any = None, error: BaseException | None = None) -> None:
        future = self._futures[key]
        if future.done():  # cancelled by its awaiter meanwhile
            return
        if error is None:
            future.set_result(value)
        else:
            future.set_exception(error)


def make_schema() -> Any:
    """Build :data:`SDL` and attach the resolvers (``context`` holds the shop and loader).

    Returns:
        a graphql-core ``GraphQLSchema`` (typed ``Any`` here so that the book's
        nitpicky build does not need graphql-core's own documentation).
    """
    schema = build_schema(SDL)
    query, mutation, book, page = (
        _object(schema, name) for name in ("Query", "Mutation", "Book", "BookPage")
    )
    query.fields["book"].resolve = _resolve_book
    query.fields["books"].resolve = _resolve_books
    mutation.fields["addBook"].resolve = _resolve_add_book
    book.fields["priceCents"].resolve = lambda b, _info: b.price_cents
    book.fields["author"].resolve = _resolve_author
    page.fields["nextCursor"].resolve = lambda p, _info: p["nextCursor"]
    page.fields["items"].resolve = lambda p, _info: p["items"]
    return schema


def _object(schema: GraphQLSchema, name: str) -> GraphQLObjectType:
    found = schema.get_type(name)
    if not isinstance(found, GraphQLObjectType):
        raise TypeError(f"{name} is not an object type in the schema")
    return found


def _resolve_book(_root: None, info: GraphQLResolveInfo[Any], id: int) -> Book | None:
    shop: Bookshop = info.context["shop"]
    try:
        return shop.get_book(id)
    except NotFoundError:
        return None  # GraphQL convention: a nullable field, null when absent


def _resolve_books(
    _root: None, info: GraphQLResolveInfo[Any], first: int, after: str | None = None
) -> dict[str, Any]:
    if not 1 <= first <= MAX_PAGE:
        raise GraphQLError(f"first must be in [1, {MAX_PAGE}], got {first}")
    try:
        start = decode_cursor(after) if after else 0
    except ValueError as e:
        raise GraphQLError(str(e)) from None
    shop: Bookshop = info.context["shop"]
    books = shop.list_books(after=start, limit=first)
    cursor = encode_cursor(books[-1].id) if len(books) == first else None
    return {"items": books, "nextCursor": cursor}


def _resolve_add_book(
    _root: None,
    info: GraphQLResolveInfo[Any],
    title: str,
    authorId: int,
    priceCents: int,
) -> Book:
    shop: Bookshop = info.context["shop"]
    try:
        return shop.add_book(title, authorId, priceCents)
    except (KeyError, ValueError, TypeError) as e:
        raise GraphQLError(str(e.args[0])) from None


def _resolve_author(book: Book, info: GraphQLResolveInfo[Any]) -> Author | asyncio.Future[Author]:
    loader: DataLoader[int, Author] | None = info.context["loader"]
    if loader is None:  # the naive resolver: one query per book
        shop: Bookshop = info.context["shop"]
        return shop.get_author(book.author_id)
    return loader.load(book.author_id)


@functools.cache
def _schema() -> GraphQLSchema:
    schema: GraphQLSchema = make_schema()
    return schema


@functools.lru_cache(maxsize=256)
def _document(query: str) -> tuple[DocumentNode | None, tuple[GraphQLError, ...]]:
    # Parsing and validating cost more than running a small query; servers
    # cache them per query text (or per persisted-query id), as here.
    try:
        document = parse(query)
    except GraphQLError as e:
        return None, (e,)
    return document, tuple(validate(_schema(), document))


def execute(
    shop: Bookshop,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    batched: bool = True,
) -> Any:
    """Run one GraphQL request against ``shop`` (a fresh :class:`DataLoader` if ``batched``).

    Args:
        shop: the bookshop the resolvers read.
        query: the GraphQL document, one operation.
        variables: values for the query's ``$variables``.
        batched: resolve ``Book.author`` through a DataLoader (2 queries for a
            page) or one query per book (the N+1 problem).

    Returns:
        a graphql-core ``ExecutionResult`` with ``data`` and ``errors``.

    Raises:
        TypeError: ``shop`` is not a Bookshop, ``query`` not a str, ``variables`` not a dict.
        ValueError: an empty query.

    Errors in the query come back in ``result.errors``, as GraphQL returns
    them, never as exceptions; a wrong argument type raises ``TypeError``.

    Complexity: parse and validate once per distinct query text (cached),
    then one resolver call per field of the result.

    >>> from studybook.senior.api_design.bookshop import Bookshop
    >>> shop = Bookshop.sample(books=1, authors=1)
    >>> execute(shop, "{ book(id: 1) { title author { name } } }").data
    {'book': {'title': 'Book 1', 'author': {'name': 'Author 1'}}}
    >>> execute(shop, "{ book(id: 1) { price } }").errors[0].message
    "Cannot query field 'price' on type 'Book'."
    >>> execute(shop, "")
    Traceback (most recent call last):
        ...
    ValueError: query must be a non-empty str, got ''
    """
    if not isinstance(shop, Bookshop):
        raise TypeError(f"shop must be a Bookshop, got {type(shop).__name__}: {shop!r}")
    check_str(query, "query", nonempty=True)
    if variables is not None and not isinstance(variables, dict):
        raise TypeError(f"variables must be a dict, got {type(variables).__name__}: {variables!r}")
    document, errors = _document(query)
    if document is None or errors:
        return ExecutionResult(None, list(errors))

    def run() -> Any:
        loader = DataLoader(shop.get_authors) if batched else None
        context = {"shop": shop, "loader": loader}
        return execute_document(
            _schema(), document, context_value=context, variable_values=variables
        )

    if not batched:  # every resolver is synchronous: no event loop needed
        result = run()
        if not inspect.isawaitable(result):
            return result
        raise RuntimeError("a synchronous execution returned an awaitable")

    async def run_async() -> ExecutionResult:
        result = run()
        return await result if inspect.isawaitable(result) else result  # type: ignore[no-any-return]

    return asyncio.run(run_async())


class GraphQLServer:
    """GraphQL over HTTP: ``POST /graphql`` with ``{"query": ..., "variables": ...}``.

    Answers 200 with ``{"data": ..., "errors": [...]}`` for anything GraphQL
    could parse (GraphQL reports errors in the body, not the status), and 400
    for a body that is not a GraphQL request at all.
    """

    def __init__(self, shop: Bookshop, *, batched: bool = True) -> None:
        if not isinstance(shop, Bookshop):
            raise TypeError(f"shop must be a Bookshop, got {type(shop).__name__}: {shop!r}")
        self.shop, self.batched = shop, batched
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True
        self._httpd.app = self  # type: ignore[attr-defined]
        self.port: int = self._httpd.server_address[1]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self) -> GraphQLServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def handle(self, body: bytes) -> tuple[int, bytes]:
        """Answer one HTTP request body.

        Args:
            body: the request body, ``{"query": ..., "variables": ...}`` as JSON.

        Returns:
            ``(status, JSON bytes)``: 200 with ``data`` (and ``errors``) for any
            GraphQL request, 400 for a body that is not one.

        Complexity: that of :func:`execute` on the query.
        """
        try:
            request = json.loads(body)  # RecursionError on "[[[[...": caught below
            query = request["query"]
            variables = request.get("variables")
            check_str(query, "query", nonempty=True)
            result = execute(self.shop, query, variables, batched=self.batched)
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as e:
            return 400, _compact({"errors": [{"message": f"bad GraphQL request: {e}"}]})
        out: dict[str, Any] = {"data": _plain(result.data)}
        if result.errors:
            out["errors"] = [err.formatted for err in result.errors]
        return 200, _compact(out)


def _plain(value: Any) -> Any:
    if isinstance(value, Book | Author):
        return asdict(value)
    return value


def _compact(value: object) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


_ASCII_DIGITS = re.compile(r"[0-9]{1,20}")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body leave in two writes; without TCP_NODELAY, Nagle's
    # algorithm holds the second until the client's (delayed) ACK arrives.
    disable_nagle_algorithm = True

    def do_POST(self) -> None:
        app: GraphQLServer = self.server.app  # type: ignore[attr-defined]
        length = self.headers.get("Content-Length", "0")
        # isdigit() is true for "²", which int() rejects: accept ASCII digits only.
        # Chunked bodies are not decoded here, so they are refused like bad lengths.
        if self.path != "/graphql":
            status, payload = 404, b"{}"
        elif "Transfer-Encoding" in self.headers or not _ASCII_DIGITS.fullmatch(length):
            status, payload = 400, b"{}"
        elif int(length) > 64 * 1024:
            status, payload = 413, b"{}"
        else:
            status, payload = app.handle(self.rfile.read(int(length)))
        if payload == b"{}":  # refused unread: the rest of the stream is not a request
            self.close_connection = True
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: tests and demos own the terminal."""
