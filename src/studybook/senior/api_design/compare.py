"""REST, GraphQL and gRPC on the same two operations: round trips, bytes and latency, measured.

Two operations a bookshop client performs:

- ``get``: one book with its author's name;
- ``page``: the first ``page`` books with their authors' names.

Each style is used the way its clients idiomatically use it: REST follows the
``author`` links (one request per distinct author it has not fetched yet),
GraphQL asks for exactly the fields in one request, gRPC returns the book
messages with the author embedded (a unary call, then one server-streaming
call). Bytes are response *bodies* as sent (JSON for REST and GraphQL, the
protobuf encoding for gRPC); HTTP headers and HTTP/2 framing are left out, so
the figures compare encodings, not transports. Latency is the median of
``repeats`` runs on loopback, client and server in one process: it shows
ratios on this machine, not production numbers.
"""

from __future__ import annotations

import http.client
import json
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from studybook._validate import check_int
from studybook.senior.api_design.bookshop import Bookshop
from studybook.senior.api_design.rest import RestServer

__all__ = ["Measurement", "compare"]


@dataclass(frozen=True)
class Measurement:
    """One style on one operation: what the client had to do and what it cost."""

    style: str
    operation: str
    requests: int
    response_bytes: int
    median_us: float
    result: tuple[tuple[str, str], ...]


def compare(*, page: int = 10, authors: int = 3, repeats: int = 20) -> list[Measurement]:
    """Run both operations in all three styles against one shop and measure them.

    Returns six measurements (REST, GraphQL, gRPC for ``get``, then for
    ``page``); each ``result`` is the ``(title, author name)`` pairs the client
    ended up with, identical across styles (the tests check it).

    Args:
        page: books per page in the ``page`` operation (the shop holds twice as many).
        authors: distinct authors, so REST fetches ``min(page, authors)`` of them.
        repeats: timed runs per style and operation (after one warm-up run).

    Raises:
        TypeError, ValueError: a bad argument.

    Complexity: ``6 * (repeats + 1)`` calls of the kinds described above.

    >>> compare(page=0)
    Traceback (most recent call last):
        ...
    ValueError: page must be in [1, 100], got 0
    """
    check_int(page, "page", minimum=1, maximum=100)
    check_int(authors, "authors", minimum=1, maximum=100)
    check_int(repeats, "repeats", minimum=1, maximum=10_000)
    import grpc  # type: ignore[import-untyped]

    from studybook.senior.api_design.graphql_api import GraphQLServer
    from studybook.senior.api_design.grpc_api import GrpcServer, load_stubs

    pb2, pb2_grpc = load_stubs()
    shop = Bookshop.sample(books=page * 2, authors=authors)
    rows: list[Measurement] = []
    with RestServer(shop) as rest, GraphQLServer(shop) as gql, GrpcServer(shop) as rpc:
        # Every client keeps its connection open, as gRPC's channel does.
        rest_conn = http.client.HTTPConnection("127.0.0.1", rest.port, timeout=5)
        gql_conn = http.client.HTTPConnection("127.0.0.1", gql.port, timeout=5)
        channel = grpc.insecure_channel(rpc.target)
        stub = pb2_grpc.BookshopStub(channel)

        def get(path: str) -> bytes:
            return _call(rest_conn, "GET", path, None)

        def rest_get() -> tuple[int, int, list[tuple[str, str]]]:
            body = get("/v1/books/1")
            book = json.loads(body)
            author = get(book["author"])
            return 2, len(body) + len(author), [(book["title"], json.loads(author)["name"])]

        def rest_page() -> tuple[int, int, list[tuple[str, str]]]:
            body = get(f"/v1/books?limit={page}")
            items = json.loads(body)["items"]
            names: dict[str, str] = {}
            size, calls = len(body), 1
            for item in items:
                if item["author"] not in names:
                    author = get(item["author"])
                    names[item["author"]] = json.loads(author)["name"]
                    size, calls = size + len(author), calls + 1
            return calls, size, [(i["title"], names[i["author"]]) for i in items]

        def graphql_call(query: str) -> tuple[int, int, list[tuple[str, str]]]:
            body = _call(gql_conn, "POST", "/graphql", json.dumps({"query": query}).encode())
            data = json.loads(body)["data"]
            books = [data["book"]] if "book" in data else data["books"]["items"]
            return 1, len(body), [(b["title"], b["author"]["name"]) for b in books]

        def grpc_get() -> tuple[int, int, list[tuple[str, str]]]:
            book = stub.GetBook(pb2.GetBookRequest(id=1), timeout=5)
            return 1, book.ByteSize(), [(book.title, book.author.name)]

        def grpc_page() -> tuple[int, int, list[tuple[str, str]]]:
            books = list(stub.StreamBooks(pb2.ListBooksRequest(page_size=page), timeout=5))
            return 1, sum(b.ByteSize() for b in books), [(b.title, b.author.name) for b in books]

        one = "{ book(id: 1) { title author { name } } }"
        many = f"{{ books(first: {page}) {{ items {{ title author {{ name }} }} }} }}"
        runs: list[tuple[str, str, Callable[[], tuple[int, int, list[tuple[str, str]]]]]] = [
            ("REST", "get", rest_get),
            ("GraphQL", "get", lambda: graphql_call(one)),
            ("gRPC", "get", grpc_get),
            ("REST", "page", rest_page),
            ("GraphQL", "page", lambda: graphql_call(many)),
            ("gRPC", "page", grpc_page),
        ]
        try:
            for style, operation, call in runs:
                call()  # warm up: connections, the schema, first-call costs
                times = []
                for _ in range(repeats):
                    start = time.perf_counter()
                    calls, size, result = call()
                    times.append(time.perf_counter() - start)
                median = statistics.median(times) * 1e6
                rows.append(Measurement(style, operation, calls, size, median, tuple(result)))
        finally:
            channel.close()
            rest_conn.close()
            gql_conn.close()
    return rows


def _call(conn: http.client.HTTPConnection, method: str, path: str, body: bytes | None) -> bytes:
    headers = {"Content-Type": "application/json"} if body is not None else {}
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    payload = response.read()
    if response.status != 200:
        raise RuntimeError(f"{method} {path} answered {response.status}: {payload!r}")
    return payload
