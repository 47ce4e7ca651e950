"""REST over a real HTTP server, called with http.client and urllib on loopback."""

from __future__ import annotations

import http.client
import json
import socket
import threading
import urllib.error
import urllib.request

import pytest

from studybook.senior.api_design.bookshop import Bookshop
from studybook.senior.api_design.rest import RestServer, etag_of, problem, request

NEW = {"title": "Dune", "author_id": 1, "price_cents": 999}


def assert_problem(response, status, slug):
    got_status, headers, body = response
    assert got_status == status
    assert headers["Content-Type"] == "application/problem+json"
    doc = json.loads(body)
    assert doc["status"] == status
    assert doc["type"] == (f"https://studybook.example/problems/{slug}" if slug else "about:blank")
    assert doc["title"]
    assert doc["detail"]
    return doc


def test_walk_all_pages_with_urllib_following_next_cursor(rest):
    url = f"http://127.0.0.1:{rest.port}/v1/books?limit=7"
    titles, links = [], 0
    while True:
        with urllib.request.urlopen(url, timeout=5) as resp:
            page = json.load(resp)
            link = resp.headers.get("Link")
        titles += [b["title"] for b in page["items"]]
        if page["next_cursor"] is None:
            assert link is None
            break
        links += 1
        assert link == f'</v1/books?limit=7&cursor={page["next_cursor"]}>; rel="next"'
        url = f"http://127.0.0.1:{rest.port}/v1/books?limit=7&cursor={page['next_cursor']}"
    assert titles == [f"Book {i}" for i in range(1, 26)]
    assert links == 3


def test_etag_and_if_none_match_give_304_without_a_body(rest):
    status, headers, body = request(rest.port, "GET", "/v1/books/3")
    assert status == 200
    assert headers["ETag"] == etag_of(json.loads(body))
    for condition in (headers["ETag"], f'"nope", W/{headers["ETag"]}', "*"):
        again = request(rest.port, "GET", "/v1/books/3", headers={"If-None-Match": condition})
        assert again[0] == 304
        assert again[2] == b""
        assert "Content-Length" not in again[1]
        assert again[1]["ETag"] == headers["ETag"]
    changed = request(rest.port, "GET", "/v1/books/3", headers={"If-None-Match": '"other"'})
    assert changed[0] == 200


def test_if_match_prevents_lost_updates(rest):
    _, headers, _ = request(rest.port, "GET", "/v1/books/1")
    etag = headers["ETag"]
    assert_problem(
        request(rest.port, "PATCH", "/v1/books/1", body={"price_cents": 5}), 428, "no-if-match"
    )
    first = request(
        rest.port, "PATCH", "/v1/books/1", body={"price_cents": 5}, headers={"If-Match": etag}
    )
    assert first[0] == 200
    assert json.loads(first[2])["version"] == 2
    # a second writer holding the old ETag is refused and changes nothing
    stale = request(
        rest.port, "PATCH", "/v1/books/1", body={"price_cents": 7}, headers={"If-Match": etag}
    )
    assert_problem(stale, 412, "stale")
    # If-Match compares strongly: a weak tag never matches (RFC 9110 section 13.1.1)
    _, fresh, _ = request(rest.port, "GET", "/v1/books/1")
    weak = request(
        rest.port,
        "PATCH",
        "/v1/books/1",
        body={"price_cents": 7},
        headers={"If-Match": "W/" + fresh["ETag"]},
    )
    assert_problem(weak, 412, "stale")
    assert json.loads(request(rest.port, "GET", "/v1/books/1")[2])["price_cents"] == 5
    bad = request(rest.port, "PATCH", "/v1/books/1", body={"title": "x"}, headers={"If-Match": "*"})
    assert_problem(bad, 400, "invalid")


def test_post_creates_with_201_and_location(rest):
    status, headers, body = request(rest.port, "POST", "/v1/books", body=NEW)
    assert status == 201
    created = json.loads(body)
    assert headers["Location"] == f"/v1/books/{created['id']}"
    assert request(rest.port, "GET", headers["Location"])[2] == body


def test_idempotency_key_replays_and_creates_once_under_concurrent_retries(rest, shop):
    before = len(shop.list_books(limit=100))
    results = []

    def post():
        results.append(
            request(rest.port, "POST", "/v1/books", body=NEW, headers={"Idempotency-Key": "k-1"})
        )

    threads = [threading.Thread(target=post) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    assert len(results) == 8
    assert {r[0] for r in results} == {201}
    assert len({r[2] for r in results}) == 1  # one book, the same answer each time
    assert sum(r[1].get("Idempotent-Replayed") == "true" for r in results) == 7
    assert len(shop.list_books(limit=100)) == before + 1
    # the same key with another body is a client error, not a silent replay
    other = request(
        rest.port,
        "POST",
        "/v1/books",
        body={**NEW, "price_cents": 1},
        headers={"Idempotency-Key": "k-1"},
    )
    assert_problem(other, 422, "key-reuse")
    # without a key, a retry creates a second book: why the key exists
    request(rest.port, "POST", "/v1/books", body=NEW)
    request(rest.port, "POST", "/v1/books", body=NEW)
    assert len(shop.list_books(limit=100)) == before + 3
    shop._check_invariants()


@pytest.mark.parametrize(
    ("method", "path", "body", "headers", "status", "slug"),
    [
        ("GET", "/v1/books/999", None, {}, 404, "not-found"),
        ("GET", "/v1/authors/999", None, {}, 404, "not-found"),
        ("GET", "/v2/books", None, {}, 404, "not-found"),
        ("GET", "/v1/books?limit=0", None, {}, 400, "bad-param"),
        ("GET", "/v1/books?limit=101", None, {}, 400, "bad-param"),
        ("GET", "/v1/books?limit=-1", None, {}, 400, "bad-param"),
        ("GET", "/v1/books?limit=nan", None, {}, 400, "bad-param"),
        ("GET", "/v1/books?cursor=forged", None, {}, 400, "bad-cursor"),
        ("DELETE", "/v1/books/1", None, {}, 405, None),
        ("PUT", "/v1/books", None, {}, 405, None),
        (
            "POST",
            "/v1/books",
            {"title": "", "author_id": 1, "price_cents": 1},
            {},
            400,
            "invalid-book",
        ),
        (
            "POST",
            "/v1/books",
            {"title": "t", "author_id": True, "price_cents": 1},
            {},
            400,
            "invalid-book",
        ),
        (
            "POST",
            "/v1/books",
            {"title": "t", "author_id": 1, "price_cents": 1.5},
            {},
            400,
            "invalid-book",
        ),
        ("POST", "/v1/books", {"title": "t"}, {}, 400, "invalid-book"),
        (
            "POST",
            "/v1/books",
            {"title": "t", "author_id": 99, "price_cents": 1},
            {},
            422,
            "unknown-author",
        ),
        ("POST", "/v1/books", [1, 2], {}, 400, "bad-json"),
        ("POST", "/v1/books", NEW, {"Idempotency-Key": "k" * 256}, 400, "bad-idempotency-key"),
        ("POST", "/v1/books", NEW, {"Content-Type": "text/plain"}, 415, "media-type"),
    ],
)
def test_errors_are_problem_details(rest, method, path, body, headers, status, slug):
    response = request(rest.port, method, path, body=body, headers=headers)
    doc = assert_problem(response, status, slug)
    assert doc["instance"] == path.split("?")[0]
    if status == 405:
        assert response[1]["Allow"]


def test_malformed_json_and_oversized_bodies_with_raw_http_client(rest):
    conn = http.client.HTTPConnection("127.0.0.1", rest.port, timeout=5)
    conn.request(
        "POST", "/v1/books", body=b"{not json", headers={"Content-Type": "application/json"}
    )
    resp = conn.getresponse()
    assert resp.status == 400
    assert json.loads(resp.read())["type"].endswith("/bad-json")
    conn.close()
    conn = http.client.HTTPConnection("127.0.0.1", rest.port, timeout=5)
    conn.putrequest("POST", "/v1/books")
    conn.putheader("Content-Length", str(10**9))
    conn.putheader("Content-Type", "application/json")
    conn.endheaders()
    resp = conn.getresponse()
    assert resp.status == 413
    assert resp.getheader("Content-Type") == "application/problem+json"
    conn.close()


def test_urllib_sees_problem_details_on_http_error(rest):
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(f"http://127.0.0.1:{rest.port}/v1/books/0", timeout=5)
    assert info.value.code == 404
    assert info.value.headers["Content-Type"] == "application/problem+json"
    info.value.close()


@pytest.mark.parametrize(
    ("call", "error", "fragment"),
    [
        (lambda: RestServer(None), TypeError, "shop must be a Bookshop, got NoneType"),
        (lambda: problem(200, "x"), ValueError, "status must be in [400, 599], got 200"),
        (lambda: problem(True, "x"), TypeError, "status must be an int, got bool"),
        (lambda: request(0, "GET", "/"), ValueError, "port must be in [1, 65535], got 0"),
        (lambda: request(80, "", "/"), ValueError, "method must be a non-empty str"),
    ],
)
def test_bad_input(call, error, fragment):
    with pytest.raises(error) as info:
        call()
    assert fragment in str(info.value)


def test_server_uses_a_kernel_chosen_loopback_port():
    with RestServer(Bookshop()) as srv:
        assert srv.port > 0
        assert request(srv.port, "GET", "/v1/books")[2] == b'{"items":[],"next_cursor":null}'


def test_an_unexpected_failure_is_a_500_problem_without_a_traceback(rest, shop, monkeypatch):
    def broken(book_id):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(shop, "get_book", broken)
    response = request(rest.port, "GET", "/v1/books/1")
    doc = assert_problem(response, 500, None)
    assert doc["detail"] == "internal error"
    assert b"secret" not in response[2]
    assert request(rest.port, "GET", "/v1/authors/1")[0] == 200  # the server lives on


def raw_exchange(port: int, data: bytes) -> bytes:
    """Send raw bytes on a fresh socket, half-close, and read until the server closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(data)
        sock.shutdown(socket.SHUT_WR)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def split_response(raw: bytes) -> tuple[int, bytes, dict]:
    head, _, body = raw.partition(b"\r\n\r\n")
    status = int(head.split(b" ")[1])
    return status, head, json.loads(body)


BOOK_JSON = json.dumps(NEW, separators=(",", ":")).encode()


@pytest.mark.parametrize(
    ("framing", "status"),
    [
        (b"Content-Length: -1\r\n", 400),
        ("Content-Length: \u00b2\r\n".encode("latin-1"), 400),  # str.isdigit() says yes
        (b"Content-Length: 1e3\r\n", 400),
        (f"Content-Length: {len(BOOK_JSON)}\r\nContent-Length: 2\r\n".encode(), 400),
        (b"Transfer-Encoding: chunked\r\n", 411),
        (f"Transfer-Encoding: chunked\r\nContent-Length: {len(BOOK_JSON)}\r\n".encode(), 411),
    ],
)
def test_bad_framing_is_refused_and_the_connection_closed(rest, shop, framing, status):
    # After the body, a second request that would run if the server misjudged
    # where the first one ended (request smuggling).
    smuggled = b"GET /v1/books/1 HTTP/1.1\r\nHost: x\r\n\r\n"
    head = b"POST /v1/books HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    raw = raw_exchange(rest.port, head + framing + b"\r\n" + BOOK_JSON + smuggled)
    got, _, doc = split_response(raw)
    assert got == status
    assert doc["status"] == status
    assert raw.count(b"HTTP/1.1 ") == 1  # nothing after the refusal was served
    assert len(shop.list_books(limit=100)) == 25  # and nothing was created


def test_errors_found_by_http_server_itself_are_problem_details_too(rest):
    got, head, doc = split_response(
        raw_exchange(rest.port, b"OPTIONS /v1/books HTTP/1.1\r\nHost: x\r\n\r\n")
    )
    assert (got, doc["status"], doc["instance"]) == (501, 501, "/v1/books")
    assert b"Content-Type: application/problem+json" in head
    raw = raw_exchange(rest.port, b"HELLO\r\n\r\n")  # no HTTP version: an HTTP/0.9 answer
    assert json.loads(raw) == {
        "detail": "Bad request syntax ('HELLO')",
        "status": 400,
        "title": "Bad Request",
        "type": "about:blank",
    }


def test_head_is_get_without_the_body(rest):
    full = request(rest.port, "GET", "/v1/books/2")
    head = request(rest.port, "HEAD", "/v1/books/2")
    assert head[0] == 200
    assert head[2] == b""
    assert head[1]["ETag"] == full[1]["ETag"]
    assert head[1]["Content-Length"] == str(len(full[2]))
    assert request(rest.port, "PUT", "/v1/books/2")[1]["Allow"] == "GET, HEAD, PATCH"


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (b"[" * 50_000, "the body is not valid JSON"),  # RecursionError in json.loads
        (b"\xff\xfe{}", "the body is not valid JSON"),
        (b"[1, 2]", "the body must be a JSON object, got list"),
    ],
)
def test_hostile_json_bodies_are_400_not_500(rest, body, detail):
    conn = http.client.HTTPConnection("127.0.0.1", rest.port, timeout=5)
    conn.request("POST", "/v1/books", body=body, headers={"Content-Type": "application/json"})
    resp = conn.getresponse()
    assert (resp.status, json.loads(resp.read())["detail"]) == (400, detail)
    conn.close()


def test_a_non_canonical_cursor_is_refused(rest):
    good = request(rest.port, "GET", "/v1/books?limit=2")
    cursor = json.loads(good[2])["next_cursor"]
    assert request(rest.port, "GET", f"/v1/books?cursor={cursor}")[0] == 200
    for bad in (cursor + "!!", cursor + "%20", "eyJhZnRlciI6IDJ9"):  # {"after": 2}, a space
        assert_problem(request(rest.port, "GET", f"/v1/books?cursor={bad}"), 400, "bad-cursor")
