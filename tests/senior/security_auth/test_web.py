"""SQL injection on SQLite, HTML escaping checked with the stdlib HTML parser, CSRF tokens."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.senior.security_auth import (
    CsrfTokens,
    double_submit_ok,
    escape_html,
    find_user_safe,
    find_user_unsafe,
    js_string,
    safe_href,
    sample_users,
    session_cookie,
)

ROWS = [("alice", "admin"), ("bob", "user"), ("carol", "user")]


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=30) | st.sampled_from(["bob", "x' OR '1'='1", "'; DROP TABLE users; --"]))
def test_the_parameterised_query_equals_a_python_filter_for_any_input(name):
    conn = sample_users()
    assert find_user_safe(conn, name) == [row for row in ROWS if row[0] == name]
    assert conn.execute("SELECT count(*) FROM users").fetchone() == (3,)


@pytest.mark.parametrize(
    ("attack", "rows"),
    [
        ("x' OR '1'='1", ROWS),  # a tautology returns every row
        ("nobody' UNION SELECT 'root', sqlite_version() --", [("root", None)]),
    ],
)
def test_the_string_built_query_is_injectable(attack, rows):
    got = find_user_unsafe(sample_users(), attack)
    if rows[0][1] is None:  # the UNION leaked the server's version string
        assert got[0][0] == "root"
        assert got[0][1].count(".") == 2
    else:
        assert got == rows
    assert find_user_safe(sample_users(), attack) == []


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text = ""

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_data(self, data):
        self.text += data


@settings(max_examples=150, deadline=None)
@given(
    st.text(max_size=40) | st.sampled_from(["<script>x</script>", '"><img onerror=1>', "' onx='1"])
)
def test_escaped_text_is_only_text_in_a_body_and_in_a_quoted_attribute(text):
    body = _Collector()
    body.feed(f"<p>{escape_html(text)}</p>")
    body.close()
    assert [t for t, _ in body.tags] == ["p"]
    assert body.text == text
    for quote in ('"', "'"):
        attr = _Collector()
        attr.feed(f"<a title={quote}{escape_html(text)}{quote}>x</a>")
        attr.close()
        assert len(attr.tags) == 1
        assert [name for name, _ in attr.tags[0][1]] == ["title"]
        assert attr.tags[0][1][0][1] == text


def test_unescaped_input_becomes_markup():
    page = _Collector()
    page.feed("<p><img src=x onerror=alert(1)></p>")
    assert [t for t, _ in page.tags] == ["p", "img"]


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "\tjavascript:x",
        "data:text/html,<b>",
        "vbscript:x",
        "java\nscript:x",
    ],
)
def test_dangerous_url_schemes_are_refused(url):
    with pytest.raises(ValueError, match="only http, https and relative URLs"):
        safe_href(url)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/path?a=1&b=2", "/path?a=1&amp;b=2"),
        ('https://x.test/"q', "https://x.test/&quot;q"),
        ("#top", "#top"),
    ],
)
def test_allowed_urls_are_escaped_for_the_attribute(url, expected):
    assert safe_href(url) == expected


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=40) | st.just("</script><script>alert(1)</script>"))
def test_js_string_cannot_close_the_script_and_decodes_back(value):
    literal = js_string(value)
    assert "<" not in literal
    assert ">" not in literal
    assert "&" not in literal
    assert json.loads(literal) == value  # JSON is a subset of JavaScript literals


def test_csrf_tokens_are_bound_to_the_session_and_unforgeable():
    tokens = CsrfTokens(b"k" * 32)
    token = tokens.issue("s1")
    assert tokens.check("s1", token)
    assert tokens.issue("s1") != token  # fresh nonce each time
    assert not tokens.check("s2", token)
    assert not tokens.check("s1", token + "0")
    assert not tokens.check("s1", "")
    assert not tokens.check("s1", "no-dot")
    assert not CsrfTokens(b"j" * 32).check("s1", token)
    # the length prefix keeps ("a", "b.c") and ("a.b", "c") apart
    nonce, _, mac = token.partition(".")
    assert not tokens.check("s1." + nonce.split(".")[0], f"x.{mac}")


def test_double_submit_and_cookie_attributes():
    assert double_submit_ok("t0k3n", "t0k3n")
    assert not double_submit_ok("t0k3n", "t0k3N")
    assert not double_submit_ok("", "")
    assert session_cookie("abc", same_site="Strict").endswith("SameSite=Strict")


@pytest.mark.parametrize(
    ("call", "exc", "message"),
    [
        (lambda: find_user_safe(sample_users(), None), TypeError, "name must be a str"),
        (lambda: find_user_unsafe(sample_users(), 1), TypeError, "name must be a str"),
        (lambda: escape_html(None), TypeError, "text must be a str"),
        (lambda: safe_href(b"/"), TypeError, "url must be a str"),
        (lambda: js_string(1), TypeError, "value must be a str"),
        (lambda: CsrfTokens("k" * 32), TypeError, "key must be bytes"),
        (lambda: CsrfTokens(b"k"), ValueError, "at least 32 bytes, got 1"),
        (lambda: CsrfTokens(b"k" * 32).issue(""), ValueError, "session_id must be a non-empty"),
        (lambda: CsrfTokens(b"k" * 32).check("s", None), TypeError, "token must be a str"),
        (lambda: double_submit_ok(None, "x"), TypeError, "cookie_value must be a str"),
        (lambda: session_cookie(""), ValueError, "value must be a non-empty"),
        (lambda: session_cookie("a;b"), ValueError, "cookie value must be printable"),
        (lambda: session_cookie("a\nb"), ValueError, "cookie value must be printable"),
        (lambda: session_cookie("é"), ValueError, "cookie value must be printable"),
        (lambda: session_cookie("a", same_site="lax"), ValueError, "same_site must be"),
    ],
)
def test_bad_input(call, exc, message):
    with pytest.raises(exc, match=message):
        call()


def test_non_ascii_tokens_are_refused_not_a_crash():
    # hmac.compare_digest raises TypeError on non-ASCII str; the checks compare bytes.
    tokens = CsrfTokens(b"k" * 32)
    token = tokens.issue("s")
    assert tokens.check("s", token[:-1] + "é") is False
    assert tokens.check("s", "é.é") is False
    assert double_submit_ok("abc", "abé") is False
    assert double_submit_ok("é", "é") is True
