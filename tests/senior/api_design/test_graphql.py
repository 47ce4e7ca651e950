"""GraphQL with graphql-core: the N+1 problem counted, the DataLoader fix, GraphQL over HTTP."""

from __future__ import annotations

import asyncio
import http.client
import json
import socket

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.senior.api_design.bookshop import Bookshop
from studybook.senior.api_design.graphql_api import DataLoader, GraphQLServer, execute
from studybook.senior.api_design.rest import request

PAGE = "query($n: Int!) { books(first: $n) { items { id title author { id name } } nextCursor } }"


@settings(max_examples=25, deadline=None)
@given(books=st.integers(1, 60), authors=st.integers(1, 12), n=st.integers(1, 100))
def test_n_plus_one_naive_and_two_queries_batched(books, authors, n):
    shop = Bookshop.sample(books=books, authors=authors)
    naive = execute(shop, PAGE, {"n": n}, batched=False)
    page = min(n, books)
    assert shop.queries == 1 + page  # one list, then one author query per book
    shop.queries = 0
    batched = execute(shop, PAGE, {"n": n}, batched=True)
    assert shop.queries == 2  # one list, one batched author query
    assert naive.errors is None
    assert batched.data == naive.data
    # against the domain directly
    items = batched.data["books"]["items"]
    assert [(i["id"], i["author"]["id"]) for i in items] == [
        (b.id, b.author_id) for b in shop.list_books(limit=n)
    ]


def test_pages_follow_next_cursor():
    shop = Bookshop.sample(books=5, authors=2)
    query = "query($a: String) { books(first: 2, after: $a) { items { id } nextCursor } }"
    ids, after = [], None
    while True:
        page = execute(shop, query, {"a": after}).data["books"]
        ids += [b["id"] for b in page["items"]]
        after = page["nextCursor"]
        if after is None:
            break
    assert ids == [1, 2, 3, 4, 5]


def test_errors_come_back_in_the_result_not_as_exceptions():
    shop = Bookshop.sample(books=2, authors=1)
    assert execute(shop, "{ book(id: 99) { title } }").data == {"book": None}
    msgs = [
        execute(shop, q).errors[0].message
        for q in (
            "{ books(first: 0) { items { id } } }",
            '{ books(after: "forged") { items { id } } }',
            "{ book(id: 1) { nope } }",
            "{ book(id: 1) { title }",
            '{ book(id: "1") { title } }',
        )
    ]
    assert msgs[0] == "first must be in [1, 100], got 0"
    assert msgs[1] == "invalid cursor 'forged'"
    assert msgs[2] == "Cannot query field 'nope' on type 'Book'."
    assert msgs[3].startswith("Syntax Error")
    assert "Int cannot represent non-integer value" in msgs[4]


def test_mutation_adds_a_book():
    shop = Bookshop.sample(books=0, authors=1)
    m = 'mutation { addBook(title: "Dune", authorId: 1, priceCents: 999) { id author { name } } }'
    assert execute(shop, m).data == {"addBook": {"id": 1, "author": {"name": "Author 1"}}}
    bad = 'mutation { addBook(title: "", authorId: 9, priceCents: 1) { id } }'
    assert execute(shop, bad).errors[0].message == "title must be a non-empty str, got ''"


def test_dataloader_caches_batches_and_fails_missing_keys():
    calls = []

    def fetch(keys):
        calls.append(list(keys))
        return {k: k.upper() for k in keys if k != "missing"}

    async def main():
        loader = DataLoader(fetch)
        first = await asyncio.gather(loader.load("a"), loader.load("b"), loader.load("a"))
        second = await loader.load("a")  # cached: no new batch
        with pytest.raises(KeyError):
            await loader.load("missing")
        return first, second

    assert asyncio.run(main()) == (["A", "B", "A"], "A")
    assert calls == [["a", "b"], ["missing"]]


def test_dataloader_batch_failure_reaches_every_waiter():
    def boom(keys):
        raise RuntimeError("backend down")

    async def main():
        loader = DataLoader(boom)
        return await asyncio.gather(loader.load(1), loader.load(2), return_exceptions=True)

    results = asyncio.run(main())
    assert [str(r) for r in results] == ["backend down", "backend down"]


def test_graphql_over_http_with_http_client():
    shop = Bookshop.sample(books=12, authors=3)
    with GraphQLServer(shop) as srv:
        status, headers, body = request(
            srv.port, "POST", "/graphql", body={"query": PAGE, "variables": {"n": 10}}
        )
        assert status == 200
        assert headers["Content-Type"] == "application/json"
        data = json.loads(body)["data"]["books"]
        assert len(data["items"]) == 10
        assert data["items"][3] == {
            "id": 4,
            "title": "Book 4",
            "author": {"id": 1, "name": "Author 1"},
        }
        shop.queries = 0
        errors = json.loads(request(srv.port, "POST", "/graphql", body={"query": "{ x }"})[2])
        assert errors["errors"][0]["message"] == "Cannot query field 'x' on type 'Query'."
        assert shop.queries == 0  # validation fails before any resolver runs
        for bad in ({"nothing": 1}, {"query": ""}, [1]):
            status, _, body = request(srv.port, "POST", "/graphql", body=bad)
            assert status == 400
            assert json.loads(body)["errors"][0]["message"].startswith("bad GraphQL request")


@pytest.mark.parametrize(
    ("call", "error", "fragment"),
    [
        (lambda: execute(None, "{ x }"), TypeError, "shop must be a Bookshop"),
        (lambda: execute(Bookshop(), ""), ValueError, "query must be a non-empty str, got ''"),
        (lambda: execute(Bookshop(), b"{ x }"), TypeError, "query must be a str"),
        (lambda: execute(Bookshop(), "{ x }", [1]), TypeError, "variables must be a dict"),
        (lambda: DataLoader(42), TypeError, "batch_fn"),
        (lambda: GraphQLServer("shop"), TypeError, "shop must be a Bookshop, got str"),
    ],
)
def test_bad_input(call, error, fragment):
    with pytest.raises(error) as info:
        call()
    assert fragment in str(info.value)


@pytest.mark.parametrize(
    ("batch_fn", "error", "message"),
    [
        (lambda keys: None, TypeError, "batch_fn must return a Mapping, got NoneType"),
        (lambda keys: [k * 10 for k in keys], TypeError, "got list"),  # JS DataLoader's shape
    ],
)
def test_a_batch_function_that_returns_the_wrong_shape_fails_every_waiter(batch_fn, error, message):
    # Before the fix the exception escaped the loop callback and both awaits hung.
    async def main():
        loader = DataLoader(batch_fn)
        gathered = asyncio.gather(loader.load(1), loader.load(2), return_exceptions=True)
        return await asyncio.wait_for(gathered, timeout=5)

    results = asyncio.run(main())
    assert [type(r) for r in results] == [error, error]
    assert all(message in str(r) for r in results)


def test_a_cancelled_load_does_not_break_the_batch_for_the_others():
    async def main():
        loader = DataLoader(lambda keys: {k: k * 10 for k in keys})
        first, second = loader.load(1), loader.load(2)
        first.cancel()
        return await asyncio.wait_for(second, timeout=5), first.cancelled()

    assert asyncio.run(main()) == (20, True)


def test_graphql_http_server_answers_hostile_bodies_without_dropping_the_connection():
    with GraphQLServer(Bookshop.sample(books=1, authors=1)) as srv:
        conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=5)
        conn.request("POST", "/graphql", body=b"[" * 50_000)  # RecursionError in json.loads
        resp = conn.getresponse()
        assert resp.status == 400
        assert json.loads(resp.read())["errors"][0]["message"].startswith("bad GraphQL request")
        conn.close()
        with socket.create_connection(("127.0.0.1", srv.port), timeout=5) as sock:
            sock.sendall(
                "POST /graphql HTTP/1.1\r\nContent-Length: \u00b2\r\n\r\n".encode("latin-1")
            )
            assert sock.recv(100).startswith(b"HTTP/1.1 400 ")  # before: reset, traceback
