"""A subset of IAM ``Condition`` operators: string, numeric, Bool and IP address.

A condition block maps an operator to ``{key: value or [values]}``. Operators
are ANDed, keys under one operator are ANDed, the values of one key are ORed;
for a negated operator (``StringNotEquals``, ``NotIpAddress``...) the values are
NORed. A key absent from the request context makes a condition false, and a
negated one true (IAM User Guide, "Condition operators"). Condition key names
are case-insensitive; values follow each operator's rule.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from typing import cast

from studybook.networking.ip_subnetting import parse_address, parse_prefix
from studybook.senior.aws_architecture.matching import wildcard_match

__all__ = ["OPERATORS", "Context", "check_condition", "check_context", "conditions_hold"]

#: A validated request context, with lower-cased keys.
Context = dict[str, str | bool | int | float]


_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def _number(text: str) -> float | None:
    """A finite decimal number, or None (no ``1_000``, no blanks, no ``inf``/``nan``)."""
    if not _NUMBER.fullmatch(text):
        return None
    value = float(text)
    return value if math.isfinite(value) else None


def _numeric(compare: Callable[[float, float], bool]) -> Callable[[str, str], bool]:
    def test(policy: str, request: str) -> bool:
        want, got = _number(policy), _number(request)
        return want is not None and got is not None and compare(got, want)

    return test


def _in_cidr(policy: str, request: str) -> bool:
    try:
        version, value = parse_address(request)
    except ValueError:
        return False
    net = _cidr(policy)
    bits = 32 if net[0] == 4 else 128
    shift = bits - net[2]
    return version == net[0] and value >> shift == net[1] >> shift


def _cidr(text: str) -> tuple[int, int, int]:
    """``(version, network, length)``; a bare address is a /32 (or /128)."""
    if "/" in text:
        p = parse_prefix(text)
        return p.version, p.network, p.length
    version, value = parse_address(text)
    return version, value, 32 if version == 4 else 128


_POSITIVE: dict[str, Callable[[str, str], bool]] = {
    "StringEquals": lambda p, r: p == r,
    "StringEqualsIgnoreCase": lambda p, r: p.casefold() == r.casefold(),
    "StringLike": wildcard_match,
    "NumericEquals": _numeric(lambda got, want: got == want),
    "NumericLessThan": _numeric(lambda got, want: got < want),
    "NumericLessThanEquals": _numeric(lambda got, want: got <= want),
    "NumericGreaterThan": _numeric(lambda got, want: got > want),
    "NumericGreaterThanEquals": _numeric(lambda got, want: got >= want),
    "Bool": lambda p, r: p.lower() == r.lower(),
    "IpAddress": _in_cidr,
}
_NEGATED = {
    "StringNotEquals": "StringEquals",
    "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase",
    "StringNotLike": "StringLike",
    "NumericNotEquals": "NumericEquals",
    "NotIpAddress": "IpAddress",
}
#: Every operator this module knows, positive and negated.
OPERATORS = tuple(sorted([*_POSITIVE, *_NEGATED]))


def check_context(context: object) -> Context:
    """Validate a request context and lower-case its keys.

    Args:
        context: ``None`` (an empty context) or a mapping from condition key
            to a str, bool, int or finite float.

    Returns:
        A new dict with lower-cased keys.

    Raises:
        TypeError: not a mapping, a non-str key, a value of another type.
        ValueError: an empty key, two keys that differ only in case, or a
            NaN/infinite value.

    Complexity: O(len(context)).

    >>> check_context({"aws:SourceIp": "10.0.0.1", "aws:MultiFactorAuthPresent": True})
    {'aws:sourceip': '10.0.0.1', 'aws:multifactorauthpresent': True}
    """
    if context is None:
        return {}
    if not isinstance(context, Mapping):
        raise TypeError(f"context must be a dict, got {context!r}")
    out: Context = {}
    for key, value in context.items():
        if not isinstance(key, str):
            raise TypeError(f"context keys must be str, got {key!r}")
        if not key:
            raise ValueError(f"context keys must be non-empty, got {key!r}")
        if not isinstance(value, (str, bool, int, float)):
            raise TypeError(f"context[{key!r}] must be str, bool, int or float, got {value!r}")
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"context[{key!r}] must be finite, got {value!r}")
        if key.lower() in out:
            raise ValueError(f"context key {key!r} given twice (condition keys ignore case)")
        out[key.lower()] = value
    return out


def check_condition(block: object) -> None:
    """Raise unless ``block`` is a well-formed condition block of known operators.

    Args:
        block: a ``Condition`` element from a policy statement.

    Raises:
        TypeError: not a dict of dicts, or a value that is not str/bool/number.
        ValueError: an unknown operator, an empty value list, a numeric
            operator with a non-number, an IP operator with a bad CIDR.

    Complexity: O(size of the block).

    >>> check_condition({"DateLessThan": {"aws:CurrentTime": "2027-01-01T00:00:00Z"}})
    Traceback (most recent call last):
        ...
    ValueError: unsupported condition operator 'DateLessThan'
    """
    if not isinstance(block, Mapping):
        raise TypeError(f"Condition must be a dict, got {block!r}")
    for operator, keys in block.items():
        if operator not in _POSITIVE and operator not in _NEGATED:
            raise ValueError(f"unsupported condition operator {operator!r}")
        if not isinstance(keys, Mapping) or not keys:
            raise TypeError(f"{operator} must map condition keys to values, got {keys!r}")
        base = str(_NEGATED.get(operator, operator))
        for key, raw in keys.items():
            if not isinstance(key, str) or not key:
                raise TypeError(f"condition keys must be non-empty str, got {key!r}")
            for value in _values(raw, operator):
                if base.startswith("Numeric") and _number(value) is None:
                    raise ValueError(f"{operator} needs numbers, got {value!r}")
                if base == "Bool" and value.lower() not in ("true", "false"):
                    raise ValueError(f"Bool needs 'true' or 'false', got {value!r}")
                if base == "IpAddress":
                    _cidr(value)


def _values(raw: object, operator: str) -> list[str]:
    items = raw if isinstance(raw, list) else [raw]
    if not items:
        raise ValueError(f"{operator} needs at least one value, got {raw!r}")
    out = []
    for item in items:
        if isinstance(item, bool):
            out.append("true" if item else "false")  # JSON true/false in a Bool condition
        elif isinstance(item, (str, int, float)):
            out.append(str(item))
        else:
            raise TypeError(f"{operator} values must be str, bool or numbers, got {item!r}")
    return out


def conditions_hold(block: object, context: Context) -> bool:
    """Whether every condition in a block holds for ``context``.

    Args:
        block: a ``Condition`` element, ``{operator: {key: value or [values]}}``.
        context: a request context from :func:`check_context`.

    Returns:
        ``True`` when every operator and every key under it is satisfied.

    Raises:
        TypeError: a malformed block (see :func:`check_condition`).
        ValueError: an unknown operator or a bad value (see :func:`check_condition`).

    Complexity: O(size of the block · cost of one comparison).

    >>> ctx = check_context({"aws:SourceIp": "203.0.113.9", "s3:max-keys": 50})
    >>> conditions_hold({"IpAddress": {"aws:SourceIp": ["198.51.100.0/24", "203.0.113.0/24"]},
    ...                  "NumericLessThanEquals": {"s3:max-keys": "100"}}, ctx)
    True
    >>> conditions_hold({"Bool": {"aws:SecureTransport": "false"}}, ctx)
    False
    >>> conditions_hold({"StringNotEquals": {"aws:RequestedRegion": "eu-west-1"}}, ctx)
    True
    """
    check_condition(block)
    for operator, keys in cast("Mapping[str, Mapping[str, object]]", block).items():
        negated = operator in _NEGATED
        test = _POSITIVE[_NEGATED.get(operator, operator)]
        for key, raw in keys.items():
            got = context.get(key.lower())
            if got is None:
                if negated:
                    continue  # absent key: a negated condition holds
                return False
            request = ("true" if got else "false") if isinstance(got, bool) else str(got)
            hit = any(test(value, request) for value in _values(raw, operator))
            if hit == negated:
                return False
    return True
