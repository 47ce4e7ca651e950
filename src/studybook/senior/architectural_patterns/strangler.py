"""The strangler fig: a facade that moves routes from the legacy system to the new one.

Every request goes through :class:`StranglerFacade`. At first every path goes
to the legacy handler; routes are then moved one path prefix at a time
(longest prefix wins), first in *shadow* mode (both systems run, the legacy
answer is returned, and mismatches are counted), then for real. A move is
reversible with :meth:`StranglerFacade.rollback` until the legacy code is
deleted. When no route is left on the legacy handler, it can be retired.

>>> facade = StranglerFacade(lambda path: f"legacy:{path}")
>>> facade.migrate("/orders", lambda path: f"new:{path}")
>>> facade.handle("/orders/7"), facade.handle("/users/1")
('new:/orders/7', 'legacy:/users/1')
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, Literal, TypeVar

from studybook._validate import check_callable, check_str

__all__ = ["StranglerFacade"]

R = TypeVar("R")


class StranglerFacade(Generic[R]):
    """Route requests by path prefix to the legacy system, the new one, or both (shadow).

    Args:
        legacy: the old system's entry point, ``path -> response``.

    Complexity: ``handle`` O(routes) per request (a prefix scan; a trie would
    make it O(path length)).
    """

    def __init__(self, legacy: Callable[[str], R]) -> None:
        check_callable(legacy, "legacy")
        self._legacy = legacy
        self._routes: dict[str, tuple[Literal["new", "shadow"], Callable[[str], R]]] = {}
        self.mismatches: list[str] = []

    def migrate(self, prefix: str, handler: Callable[[str], R]) -> None:
        """Send every path under ``prefix`` to ``handler`` from now on.

        Raises:
            TypeError: ``handler`` is not callable.
            ValueError: ``prefix`` does not start with ``/``.
        """
        self._route(prefix, "new", handler)

    def shadow(self, prefix: str, handler: Callable[[str], R]) -> None:
        """Run ``handler`` beside the legacy system for ``prefix``; answer with the legacy result.

        Each path whose two answers differ (or whose new handler raises) is
        appended to the list ``facade.mismatches``.
        This is a parallel run (dark launch): it proves the new code on real
        traffic before any user depends on it. Only safe for reads, or for
        writes the new side does not commit.

        >>> facade = StranglerFacade(lambda path: 1)
        >>> facade.shadow("/tax", lambda path: 2)
        >>> facade.handle("/tax/fr"), facade.mismatches
        (1, ['/tax/fr'])
        """
        self._route(prefix, "shadow", handler)

    def rollback(self, prefix: str) -> None:
        """Send ``prefix`` back to the legacy system; ``KeyError`` if it was not moved."""
        check_str(prefix, "prefix")
        key = prefix.rstrip("/") or "/"
        if key not in self._routes:
            raise KeyError(f"no route for prefix {prefix!r}")
        del self._routes[key]

    def served_by(self, path: str) -> Literal["legacy", "new", "shadow"]:
        """Which system answers ``path`` now."""
        match = self._match(path)
        return "legacy" if match is None else self._routes[match][0]

    def handle(self, path: str) -> R:
        """Answer one request through whichever system owns its longest matching prefix."""
        match = self._match(path)
        if match is None:
            return self._legacy(path)
        mode, handler = self._routes[match]
        if mode == "new":
            return handler(path)
        answer = self._legacy(path)
        try:
            if handler(path) != answer:
                self.mismatches.append(path)
        except Exception:  # a crash in shadow code must never reach the user
            self.mismatches.append(path)
        return answer

    def _route(
        self, prefix: str, mode: Literal["new", "shadow"], handler: Callable[[str], R]
    ) -> None:
        check_str(prefix, "prefix")
        if not prefix.startswith("/"):
            raise ValueError(f"prefix must start with '/', got {prefix!r}")
        check_callable(handler, "handler")
        self._routes[prefix.rstrip("/") or "/"] = (mode, handler)

    def _match(self, path: str) -> str | None:
        check_str(path, "path")
        if not path.startswith("/"):
            raise ValueError(f"path must start with '/', got {path!r}")
        best = None
        for prefix in self._routes:
            # "/orders" matches "/orders" and "/orders/7" but not "/ordersx".
            if (prefix == "/" or path == prefix or path.startswith(prefix + "/")) and (
                best is None or len(prefix) > len(best)
            ):
                best = prefix
        return best
