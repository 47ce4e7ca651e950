"""Web injection defences: SQL injection on SQLite, HTML escaping by context, CSRF tokens.

The rule behind all three: never let data be read as code. SQL parameters are
sent apart from the statement; text is escaped for the exact context it lands
in (element body, quoted attribute, URL, script); a state-changing request must
carry a secret that a cross-site page cannot read.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import json
import secrets
import sqlite3
from urllib.parse import urlsplit

from studybook._validate import check_str

__all__ = [
    "CsrfTokens",
    "double_submit_ok",
    "escape_html",
    "find_user_safe",
    "find_user_unsafe",
    "js_string",
    "safe_href",
    "sample_users",
    "session_cookie",
]


def sample_users() -> sqlite3.Connection:
    """An in-memory SQLite database with a ``users(name, role)`` table of three rows.

    >>> sample_users().execute("SELECT count(*) FROM users").fetchone()
    (3,)
    """
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE users (name TEXT PRIMARY KEY, role TEXT NOT NULL)")
    conn.executemany(
        "INSERT INTO users VALUES (?, ?)",
        [("alice", "admin"), ("bob", "user"), ("carol", "user")],
    )
    return conn


def find_user_unsafe(conn: sqlite3.Connection, name: str) -> list[tuple[str, str]]:
    """VULNERABLE on purpose: pastes ``name`` into the SQL text. Never do this.

    >>> find_user_unsafe(sample_users(), "x' OR '1'='1")
    [('alice', 'admin'), ('bob', 'user'), ('carol', 'user')]
    """
    check_str(name, "name")
    sql = f"SELECT name, role FROM users WHERE name = '{name}' ORDER BY name"  # noqa: S608 - the bug this chapter shows
    return conn.execute(sql).fetchall()


def find_user_safe(conn: sqlite3.Connection, name: str) -> list[tuple[str, str]]:
    """Look a user up with a bound parameter: the input is only ever a value.

    Args:
        conn: the database.
        name: the user name, any str.

    Returns:
        The matching ``(name, role)`` rows.

    Raises:
        TypeError: ``name`` is not a str.

    Complexity: one indexed lookup, O(log n).

    >>> find_user_safe(sample_users(), "x' OR '1'='1"), find_user_safe(sample_users(), "bob")
    ([], [('bob', 'user')])
    """
    check_str(name, "name")
    return conn.execute(
        "SELECT name, role FROM users WHERE name = ? ORDER BY name", (name,)
    ).fetchall()


def escape_html(text: str) -> str:
    """Escape ``text`` for an HTML element body or a *quoted* attribute value.

    ``html.escape`` with ``quote=True`` turns ``& < > " '`` into references, so
    the text can neither open a tag nor close the attribute's quotes. It does
    not make a URL safe (see :func:`safe_href`) nor a script (see :func:`js_string`).

    >>> escape_html('<img src=x onerror="alert(1)">')
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
    """
    return html.escape(check_str(text, "text"), quote=True)


def safe_href(url: str) -> str:
    """An ``href`` value: only http, https and relative URLs, then HTML-escaped.

    Escaping alone leaves ``javascript:alert(1)`` intact and live, so the scheme
    is checked first (allow-list, not deny-list).

    Raises:
        ValueError: any other scheme.

    >>> safe_href("https://example.com/?a=1&b=2")
    'https://example.com/?a=1&amp;b=2'
    >>> safe_href(" JavaScript:alert(1)")
    Traceback (most recent call last):
        ...
    ValueError: only http, https and relative URLs are allowed, got ' JavaScript:alert(1)'
    """
    check_str(url, "url")
    # Browsers strip leading whitespace and control characters before the scheme.
    scheme = urlsplit(url.strip(" \t\r\n\x00\x0b\x0c")).scheme.lower()
    if scheme not in ("", "http", "https") or any(ord(c) < 0x20 for c in url):
        raise ValueError(f"only http, https and relative URLs are allowed, got {url!r}")
    return html.escape(url, quote=True)


def js_string(value: str) -> str:
    """A JavaScript string literal safe inside an HTML ``<script>`` element.

    JSON encoding makes a valid literal; ``<``, ``>`` and ``&`` are written as
    ``\\u003c``-style escapes too, because the HTML parser ends the script at
    ``</script>`` before JavaScript ever sees the quotes.

    >>> js_string('</script><script>alert(1)</script>')
    '"\\\\u003c/script\\\\u003e\\\\u003cscript\\\\u003ealert(1)\\\\u003c/script\\\\u003e"'
    """
    encoded = json.dumps(check_str(value, "value"))
    return encoded.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class CsrfTokens:
    """Synchroniser tokens bound to a session by an HMAC (OWASP CSRF Prevention Cheat Sheet).

    A token is ``nonce.mac`` with ``mac = HMAC(key, session_id . nonce)``: a form
    carries it, the server recomputes the MAC, and another user's token or a
    forged one fails. The server keeps only the key, no per-session state.

    >>> tokens = CsrfTokens(b"k" * 32)
    >>> token = tokens.issue("session-1")
    >>> tokens.check("session-1", token), tokens.check("session-2", token)
    (True, False)
    """

    def __init__(self, key: bytes) -> None:
        """Keep ``key`` (at least 32 bytes) to sign tokens with.

        Raises:
            TypeError: key is not bytes.
            ValueError: key shorter than 32 bytes.
        """
        if not isinstance(key, bytes):
            raise TypeError(f"key must be bytes, got {type(key).__name__}: {key!r}")
        if len(key) < 32:
            raise ValueError(f"key must be at least 32 bytes, got {len(key)} bytes")
        self._key = key

    def issue(self, session_id: str) -> str:
        """A fresh token for the session (put it in a hidden form field or a header).

        Raises:
            ValueError: empty session id.
        """
        check_str(session_id, "session_id", nonempty=True)
        nonce = secrets.token_urlsafe(16)
        return f"{nonce}.{self._mac(session_id, nonce)}"

    def check(self, session_id: str, token: str) -> bool:
        """Whether ``token`` was issued for ``session_id`` (constant-time comparison).

        Complexity: O(len(token)).
        """
        check_str(session_id, "session_id", nonempty=True)
        check_str(token, "token")
        nonce, dot, mac = token.partition(".")
        if not dot:
            return False
        # Compare bytes: compare_digest refuses str with non-ASCII characters (TypeError),
        # and the token is attacker input.
        return hmac.compare_digest(mac.encode(), self._mac(session_id, nonce).encode())

    def _mac(self, session_id: str, nonce: str) -> str:
        message = f"{len(session_id)}:{session_id}.{nonce}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()


def double_submit_ok(cookie_value: str, submitted: str) -> bool:
    """The double-submit check: the cookie's token equals the submitted one (constant time).

    A cross-site form can make the browser send the cookie but cannot read it to
    copy it into the form. Prefer the signed variant (:class:`CsrfTokens`): an
    attacker who can set a cookie on a sibling subdomain defeats the naive one.

    >>> double_submit_ok("abc", "abc"), double_submit_ok("abc", ""), double_submit_ok("", "")
    (True, False, False)
    """
    check_str(cookie_value, "cookie_value")
    check_str(submitted, "submitted")
    return bool(cookie_value) and hmac.compare_digest(cookie_value.encode(), submitted.encode())


def session_cookie(value: str, *, same_site: str = "Lax") -> str:
    """A ``Set-Cookie`` value for a session id with the protective attributes.

    ``__Host-`` forces Secure, Path=/ and no Domain (RFC 6265bis); HttpOnly
    hides it from scripts (limits XSS theft); SameSite=Lax keeps it off
    cross-site POSTs (a CSRF defence in depth, not a replacement for tokens).

    Raises:
        ValueError: a character a cookie value cannot hold, or an unknown SameSite.

    >>> session_cookie("abc123")
    '__Host-session=abc123; Path=/; Secure; HttpOnly; SameSite=Lax'
    """
    check_str(value, "value", nonempty=True)
    if any(c in value for c in ' ;,"\\') or not value.isascii() or not value.isprintable():
        raise ValueError(
            f'cookie value must be printable ASCII without ;,"\\ or space, got {value!r}'
        )
    if same_site not in ("Strict", "Lax", "None"):
        raise ValueError(f"same_site must be 'Strict', 'Lax' or 'None', got {same_site!r}")
    return f"__Host-session={value}; Path=/; Secure; HttpOnly; SameSite={same_site}"
