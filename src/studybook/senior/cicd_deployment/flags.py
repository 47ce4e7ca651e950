"""Feature flags: targeting rules, a percentage rollout by stable hashing, and a kill switch.

A flag separates *deploying* code from *releasing* it: the new path ships dark
and is turned on for a growing share of users without a deployment, and off
again in one write if it misbehaves.

Evaluation order, for flag ``key`` and a user:

1. **Kill switch**: a killed flag is off for everyone, rules included.
2. **Targeting rules**, first match wins: "users whose ``country`` is ``NL``
   get it", "the ``beta`` group does not".
3. **Percentage rollout**: the user's *bucket*, a number in [0, 100) computed
   from SHA-256 of the flag key and the user id, is compared with the rollout
   percentage. The bucket never changes, so raising the percentage only ever
   adds users (a user in at 5 % is still in at 25 %), every server computes
   the same answer with no shared state, and including the flag key makes
   two flags pick independent sets of users.

Python's built-in ``hash()`` must not be used here: it is salted per process
(``PYTHONHASHSEED``), so two servers, or one server after a restart, would put
the same user in different buckets.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from studybook._validate import check_real, check_str

__all__ = ["Evaluation", "FlagStore", "Rule", "bucket"]

_BUCKET_SPACE = 2**64


def bucket(flag_key: str, user_id: str) -> float:
    """The user's stable position in [0, 100) for this flag.

    The first 8 bytes of SHA-256 over the JSON array ``[flag_key, user_id]``
    (an unambiguous encoding: ``("a:b", "c")`` and ``("a", "b:c")`` differ),
    read as an unsigned integer and scaled to [0, 100).

    Raises:
        TypeError: an argument is not a ``str``.
        ValueError: an empty argument.

    Complexity: O(len(flag_key) + len(user_id)).

    >>> round(bucket("new-checkout", "user-4"), 6)
    10.246211
    >>> bucket("new-checkout", "user-42") == bucket("new-checkout", "user-42")
    True
    >>> bucket("new-checkout", "")
    Traceback (most recent call last):
        ...
    ValueError: user_id must be a non-empty str, got ''
    """
    check_str(flag_key, "flag_key", nonempty=True)
    check_str(user_id, "user_id", nonempty=True)
    payload = json.dumps([flag_key, user_id]).encode()
    value = int.from_bytes(hashlib.sha256(payload).digest()[:8], "big")
    return value * 100 / _BUCKET_SPACE


@dataclass(frozen=True)
class Rule:
    """Serve ``enabled`` to users whose ``attribute`` is one of ``values``.

    >>> Rule("country", frozenset({"NL", "BE"})).matches({"country": "NL"})
    True
    >>> Rule("country", frozenset({"NL"})).matches({"plan": "pro"})
    False
    """

    attribute: str
    values: frozenset[str]
    enabled: bool = True

    def __post_init__(self) -> None:
        check_str(self.attribute, "attribute", nonempty=True)
        if not isinstance(self.values, frozenset) or not self.values:
            raise ValueError(f"values must be a non-empty frozenset, got {self.values!r}")
        for v in self.values:
            check_str(v, "rule value")
        if not isinstance(self.enabled, bool):
            raise TypeError(f"enabled must be a bool, got {self.enabled!r}")

    def matches(self, attributes: Mapping[str, str]) -> bool:
        """True if the user's ``attribute`` is present and one of ``values``.

        Raises:
            TypeError: ``attributes`` is not a mapping.
        """
        if not isinstance(attributes, Mapping):
            raise TypeError(f"attributes must be a mapping, got {attributes!r}")
        return attributes.get(self.attribute) in self.values


@dataclass(frozen=True)
class Evaluation:
    """A flag's answer for one user, with why (``killed``, ``rule 0``, ``rollout``, ...)."""

    enabled: bool
    reason: str


@dataclass
class _Flag:
    percentage: float = 0.0
    rules: tuple[Rule, ...] = ()
    killed: bool = False


class FlagStore:
    """A set of feature flags, evaluated locally and deterministically.

    Complexity: evaluation is O(R) for R rules plus one SHA-256.

    >>> flags = FlagStore()
    >>> flags.define("new-checkout", percentage=10, rules=[Rule("team", frozenset({"qa"}))])
    >>> flags.evaluate("new-checkout", "user-4")
    Evaluation(enabled=False, reason='rollout 10.25 >= 10')
    >>> flags.evaluate("new-checkout", "user-4", {"team": "qa"})
    Evaluation(enabled=True, reason='rule 0')
    >>> flags.set_percentage("new-checkout", 25)
    >>> flags.evaluate("new-checkout", "user-4")
    Evaluation(enabled=True, reason='rollout 10.25 < 25')
    >>> flags.kill("new-checkout")
    >>> flags.evaluate("new-checkout", "user-4", {"team": "qa"})
    Evaluation(enabled=False, reason='killed')
    >>> flags.evaluate("old-checkout", "user-4")
    Traceback (most recent call last):
        ...
    KeyError: "no flag 'old-checkout'"
    """

    def __init__(self) -> None:
        self._flags: dict[str, _Flag] = {}

    def define(self, key: str, *, percentage: float = 0.0, rules: object = ()) -> None:
        """Create or replace flag ``key`` (not killed) with a percentage and targeting rules.

        Args:
            key: the flag's name.
            percentage: share of users in the rollout, in [0, 100].
            rules: a sequence of :class:`Rule`, tried in order before the rollout.

        Raises:
            ValueError: empty key, percentage outside [0, 100] or not finite.
            TypeError: ``rules`` not a sequence of :class:`Rule`.
        """
        check_str(key, "flag key", nonempty=True)
        p = check_real(percentage, "percentage", low=0, high=100)
        if isinstance(rules, str | bytes) or not isinstance(rules, Sequence):
            raise TypeError(f"rules must be a sequence of Rule, got {rules!r}")
        for r in rules:
            if not isinstance(r, Rule):
                raise TypeError(f"rules must hold Rule, got {type(r).__name__}: {r!r}")
        self._flags[key] = _Flag(p, tuple(rules))

    def set_percentage(self, key: str, percentage: float) -> None:
        """Change the rollout percentage of ``key`` (rules and kill switch unchanged).

        Raises:
            KeyError: unknown flag.
            ValueError: percentage outside [0, 100] or not finite.
        """
        flag = self._get(key)
        flag.percentage = check_real(percentage, "percentage", low=0, high=100)

    def kill(self, key: str) -> None:
        """Turn ``key`` off for everyone at once, overriding rules and rollout."""
        self._get(key).killed = True

    def revive(self, key: str) -> None:
        """Undo :meth:`kill`; the rules and percentage in force before apply again."""
        self._get(key).killed = False

    def evaluate(
        self, key: str, user_id: str, attributes: Mapping[str, str] | None = None
    ) -> Evaluation:
        """Whether ``key`` is on for this user, and why.

        Raises:
            KeyError: unknown flag.
            TypeError: ``user_id`` not a ``str`` or ``attributes`` not a mapping.
            ValueError: empty ``user_id``.
        """
        flag = self._get(key)
        check_str(user_id, "user_id", nonempty=True)
        attrs: Mapping[str, str] = {} if attributes is None else attributes
        if not isinstance(attrs, Mapping):
            raise TypeError(f"attributes must be a mapping, got {attributes!r}")
        if flag.killed:
            return Evaluation(False, "killed")
        for i, rule in enumerate(flag.rules):
            if rule.matches(attrs):
                return Evaluation(rule.enabled, f"rule {i}")
        b = bucket(key, user_id)
        if b < flag.percentage:
            return Evaluation(True, f"rollout {b:.2f} < {flag.percentage:g}")
        return Evaluation(False, f"rollout {b:.2f} >= {flag.percentage:g}")

    def is_enabled(
        self, key: str, user_id: str, attributes: Mapping[str, str] | None = None
    ) -> bool:
        """Shorthand for ``evaluate(...).enabled``."""
        return self.evaluate(key, user_id, attributes).enabled

    def _get(self, key: str) -> _Flag:
        check_str(key, "flag key", nonempty=True)
        if key not in self._flags:
            raise KeyError(f"no flag {key!r}")
        return self._flags[key]
