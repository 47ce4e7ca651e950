"""The bookshop as a gRPC service: protobuf stubs generated at first use, unary and streaming.

``bookshop.proto`` (shipped next to this module) is the contract. Nothing
generated is committed: :func:`load_stubs` runs ``grpcio-tools``' bundled
``protoc`` once per process into a private temporary directory and imports
the two modules it writes (``*_pb2`` for messages, ``*_pb2_grpc`` for the
service). The server answers with gRPC status codes (``NOT_FOUND``,
``INVALID_ARGUMENT``) and honours the caller's deadline: a call that cannot
finish in time ends with ``DEADLINE_EXCEEDED`` on the client, and the server
stops streaming once the client has gone.

This module (with :mod:`~studybook.senior.api_design.graphql_api`) is the only
one in the chapter that imports an optional library: install ``studybook[api]``.

>>> import grpc
>>> from studybook.senior.api_design.bookshop import Bookshop
>>> pb2, pb2_grpc = load_stubs()
>>> with GrpcServer(Bookshop.sample(books=3, authors=2)) as srv:
...     with grpc.insecure_channel(srv.target) as channel:
...         stub = pb2_grpc.BookshopStub(channel)
...         book = stub.GetBook(pb2.GetBookRequest(id=2), timeout=5)
...         stream = stub.StreamBooks(pb2.ListBooksRequest(page_size=3), timeout=5)
...         titles = [b.title for b in stream]
>>> book.author.name, titles
('Author 2', ['Book 1', 'Book 2', 'Book 3'])
"""

from __future__ import annotations

import atexit
import functools
import importlib.resources
import importlib.util
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent import futures
from pathlib import Path
from types import ModuleType, TracebackType
from typing import Any

import grpc  # type: ignore[import-untyped]
from grpc_tools import protoc  # type: ignore[import-untyped]

from studybook._validate import check_real
from studybook.senior.api_design.bookshop import (
    MAX_PAGE,
    Book,
    Bookshop,
    NotFoundError,
    decode_cursor,
)

__all__ = ["PROTO_MODULE", "GrpcServer", "load_stubs"]

PROTO_MODULE = "studybook_bookshop"
"""The module-name stem of the generated code (``studybook_bookshop_pb2`` and ``..._pb2_grpc``)."""


@functools.cache
def load_stubs() -> tuple[ModuleType, ModuleType]:
    """Compile ``bookshop.proto`` with ``grpcio-tools`` and import ``(pb2, pb2_grpc)``.

    Runs once per process (cached): about a tenth of a second of ``protoc``.
    The output goes to a directory this function creates and removes at exit,
    so no file of anyone else's is touched.

    Raises:
        RuntimeError: ``protoc`` failed.
    """
    out = Path(tempfile.mkdtemp(prefix="studybook-grpc-"))
    atexit.register(shutil.rmtree, out, ignore_errors=True)
    source = importlib.resources.files(__package__).joinpath("bookshop.proto").read_text()
    (out / f"{PROTO_MODULE}.proto").write_text(source)
    status = protoc.main(
        [
            "grpc_tools.protoc",
            f"--proto_path={out}",
            f"--python_out={out}",
            f"--grpc_python_out={out}",
            str(out / f"{PROTO_MODULE}.proto"),
        ]
    )
    if status != 0:
        raise RuntimeError(f"protoc failed with status {status}")
    # The generated *_pb2_grpc imports *_pb2 by its bare name, so it must be
    # in sys.modules under that name first.
    return _import(out, f"{PROTO_MODULE}_pb2"), _import(out, f"{PROTO_MODULE}_pb2_grpc")


def _import(directory: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, directory / f"{name}.py")
    if spec is None or spec.loader is None:
        raise RuntimeError(f"cannot import generated module {name}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


class GrpcServer:
    """A ``grpc.server`` on ``127.0.0.1`` (port 0) serving a shop; a context manager.

    ``delay`` seconds are slept before each book a call returns: a slow
    backend, so that deadlines can be shown expiring.
    """

    def __init__(self, shop: Bookshop, *, delay: float = 0.0, workers: int = 4) -> None:
        if not isinstance(shop, Bookshop):
            raise TypeError(f"shop must be a Bookshop, got {type(shop).__name__}: {shop!r}")
        self.delay = check_real(delay, "delay", low=0.0, high=60.0)
        pb2, pb2_grpc = load_stubs()
        self._server = grpc.server(futures.ThreadPoolExecutor(max_workers=workers))
        pb2_grpc.add_BookshopServicer_to_server(_Servicer(shop, pb2, self.delay), self._server)
        self.port: int = self._server.add_insecure_port("127.0.0.1:0")
        self.target = f"127.0.0.1:{self.port}"

    def __enter__(self) -> GrpcServer:
        self._server.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.stop(grace=None).wait(timeout=5)


class _Servicer:
    """The service's methods; the generated base class is not needed (duck typing)."""

    def __init__(self, shop: Bookshop, pb2: ModuleType, delay: float) -> None:
        self.shop, self.pb2, self.delay = shop, pb2, delay
        self._requests: dict[str, int] = {}
        self._lock = threading.Lock()

    def GetBook(self, request: Any, context: Any) -> Any:
        if request.id <= 0:
            context.abort(
                grpc.StatusCode.INVALID_ARGUMENT, f"id must be positive, got {request.id}"
            )
        try:
            book = self.shop.get_book(request.id)
        except NotFoundError as e:
            context.abort(grpc.StatusCode.NOT_FOUND, str(e.args[0]))
        self._wait()
        return self._message(book)

    def CreateBook(self, request: Any, context: Any) -> Any:
        with self._lock:  # look-up, create and record as one step, as in REST
            known = self._requests.get(request.request_id) if request.request_id else None
            if known is not None:
                return self._message(self.shop.get_book(known))
            try:
                book = self.shop.add_book(request.title, request.author_id, request.price_cents)
            except NotFoundError as e:
                context.abort(grpc.StatusCode.FAILED_PRECONDITION, str(e.args[0]))
            except ValueError as e:
                context.abort(grpc.StatusCode.INVALID_ARGUMENT, str(e))
            if request.request_id:
                self._requests[request.request_id] = book.id
        return self._message(book)

    def StreamBooks(self, request: Any, context: Any) -> Iterator[Any]:
        if not 1 <= request.page_size <= MAX_PAGE:
            context.abort(
                grpc.StatusCode.INVALID_ARGUMENT,
                f"page_size must be in [1, {MAX_PAGE}], got {request.page_size}",
            )
        try:
            after = decode_cursor(request.page_token) if request.page_token else 0
        except ValueError as e:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, str(e))
        books = self.shop.list_books(after=after, limit=request.page_size)
        authors = self.shop.get_authors(b.author_id for b in books)
        for book in books:
            if not context.is_active():  # the client cancelled or its deadline passed
                return
            self._wait()
            yield self._message(book, authors[book.author_id].name)

    def _wait(self) -> None:
        if self.delay:
            time.sleep(self.delay)

    def _message(self, book: Book, author_name: str | None = None) -> Any:
        if author_name is None:
            author_name = self.shop.get_authors([book.author_id])[book.author_id].name
        author = self.pb2.Author(id=book.author_id, name=author_name)
        return self.pb2.Book(
            id=book.id,
            title=book.title,
            price_cents=book.price_cents,
            version=book.version,
            author=author,
        )
