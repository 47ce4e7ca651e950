"""Feature flags: stable buckets, monotone rollout, targeting order and the kill switch."""

from __future__ import annotations

import hashlib
import json
import math
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studybook.senior.cicd_deployment import FlagStore, Rule, bucket

ids = st.text(min_size=1, max_size=20)
percent = st.floats(min_value=0, max_value=100, allow_nan=False)


@given(ids, ids, percent, percent)
def test_a_user_in_at_p_stays_in_at_every_larger_p(key: str, user: str, p: float, q: float) -> None:
    low, high = sorted((p, q))
    flags = FlagStore()
    flags.define(key, percentage=low)
    was_on = flags.is_enabled(key, user)
    flags.set_percentage(key, high)
    assert not was_on or flags.is_enabled(key, user)


@given(ids, ids)
def test_bucket_matches_an_independent_sha256(key: str, user: str) -> None:
    digest = hashlib.sha256(json.dumps([key, user]).encode()).hexdigest()
    expected = int(digest[:16], 16) / 2**64 * 100
    assert bucket(key, user) == pytest.approx(expected, rel=1e-12)
    assert 0 <= bucket(key, user) < 100


def test_bucket_is_the_same_in_another_process() -> None:
    # The point of hashlib over hash(): a fresh interpreter (new hash seed) agrees.
    code = "from studybook.senior.cicd_deployment import bucket; print(repr(bucket('f', 'u-1')))"
    other = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=30
    )
    assert float(other.stdout) == bucket("f", "u-1")


def test_the_separator_cannot_be_forged() -> None:
    assert bucket("a:b", "c") != bucket("a", "b:c")


@pytest.mark.parametrize("p", [1, 10, 50])
def test_rollout_share_is_within_a_binomial_bound(p: int) -> None:
    n = 20_000
    flags = FlagStore()
    flags.define("f", percentage=p)
    on = sum(flags.is_enabled("f", f"user-{i}") for i in range(n))
    sd = math.sqrt(n * p / 100 * (1 - p / 100))
    assert abs(on - n * p / 100) < 4 * sd


def test_two_flags_choose_independent_users() -> None:
    flags = FlagStore()
    flags.define("a", percentage=10)
    flags.define("b", percentage=10)
    users = [f"user-{i}" for i in range(20_000)]
    both = sum(flags.is_enabled("a", u) and flags.is_enabled("b", u) for u in users)
    # Independent: about 1 % in both (200, sd about 14); the same hash without the
    # flag key would put the same 10 % (2,000) in both.
    assert 140 < both < 260


def test_rules_come_first_in_order_and_the_kill_switch_beats_everything() -> None:
    flags = FlagStore()
    flags.define(
        "f",
        percentage=100,
        rules=[
            Rule("plan", frozenset({"free"}), enabled=False),
            Rule("team", frozenset({"qa"})),
        ],
    )
    assert flags.evaluate("f", "u", {"plan": "free", "team": "qa"}).reason == "rule 0"
    assert not flags.is_enabled("f", "u", {"plan": "free", "team": "qa"})
    assert flags.is_enabled("f", "u", {"plan": "pro"})
    flags.set_percentage("f", 0)
    assert flags.is_enabled("f", "u", {"team": "qa"})
    assert not flags.is_enabled("f", "u")
    flags.kill("f")
    assert flags.evaluate("f", "u", {"team": "qa"}).reason == "killed"
    flags.revive("f")
    assert flags.is_enabled("f", "u", {"team": "qa"})


def test_boundaries() -> None:
    flags = FlagStore()
    flags.define("f", percentage=0)
    assert not any(flags.is_enabled("f", f"u{i}") for i in range(500))
    flags.set_percentage("f", 100)
    assert all(flags.is_enabled("f", f"u{i}") for i in range(500))
    assert flags.is_enabled("f", "ユーザー")  # any unicode id hashes


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda f: f.define("", percentage=1), ValueError, "flag key must be a non-empty str"),
        (lambda f: f.define("g", percentage=101), ValueError, "in [0, 100], got 101"),
        (lambda f: f.define("g", percentage=math.nan), ValueError, "got nan"),
        (lambda f: f.define("g", percentage=True), TypeError, "got bool: True"),
        (lambda f: f.define("g", rules="x"), TypeError, "rules must be a sequence of Rule"),
        (lambda f: f.define("g", rules=[1]), TypeError, "rules must hold Rule, got int: 1"),
        (lambda f: f.set_percentage("f", -0.5), ValueError, "got -0.5"),
        (lambda f: f.set_percentage("nope", 5), KeyError, "no flag 'nope'"),
        (lambda f: f.kill("nope"), KeyError, "no flag 'nope'"),
        (lambda f: f.evaluate("f", ""), ValueError, "user_id must be a non-empty str, got ''"),
        (lambda f: f.evaluate("f", 42), TypeError, "user_id must be a str, got int: 42"),
        (lambda f: f.evaluate("f", "u", ["a"]), TypeError, "attributes must be a mapping"),
        (lambda f: Rule("", frozenset({"x"})), ValueError, "attribute must be a non-empty str"),
        (lambda f: Rule("a", frozenset()), ValueError, "values must be a non-empty frozenset"),
        (lambda f: Rule("a", {"x"}), ValueError, "values must be a non-empty frozenset"),  # type: ignore[arg-type]
        (lambda f: Rule("a", frozenset({1})), TypeError, "rule value must be a str, got int: 1"),  # type: ignore[arg-type]
        (lambda f: Rule("a", frozenset({"x"}), enabled=1), TypeError, "enabled must be a bool"),  # type: ignore[arg-type]
        (lambda f: Rule("a", frozenset({"x"})).matches(["a"]), TypeError, "must be a mapping"),  # type: ignore[arg-type]
        (lambda f: bucket(b"k", "u"), TypeError, "flag_key must be a str, got bytes"),  # type: ignore[arg-type]
    ],
)
def test_bad_input(call: object, error: type[Exception], message: str) -> None:
    flags = FlagStore()
    flags.define("f", percentage=5)
    with pytest.raises(error) as info:
        call(flags)  # type: ignore[operator]
    assert message in str(info.value)
