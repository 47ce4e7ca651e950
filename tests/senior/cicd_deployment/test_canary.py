"""The canary judge and controller on seeded healthy and bad canaries."""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence

import pytest

from studybook.senior.cicd_deployment import (
    CanaryController,
    Classification,
    MetricSpec,
    TrafficSplitter,
    Verdict,
    canary_weights,
    classify_metric,
    judge,
    simulated_service,
)

SPECS = [MetricSpec("errors", critical=True), MetricSpec("latency_ms")]
SEEDS = range(40)


def run(sampler: object, **kwargs: object) -> tuple[bool, TrafficSplitter, list[int]]:
    lb = TrafficSplitter(canary_weights(0))
    rollout = CanaryController(lb, SPECS, sampler, **kwargs).run()  # type: ignore[arg-type]
    return rollout.promoted, lb, [p for p, _ in rollout.history]


def test_healthy_canaries_are_promoted() -> None:
    promoted = [run(simulated_service(seed=s))[0] for s in SEEDS]
    # Three intervals, two metrics, alpha 0.02: a false rollback has probability
    # about 1 - 0.98**6 = 11 % per healthy rollout; over these fixed seeds it is rare.
    assert sum(promoted) >= 34


def test_a_promoted_canary_ends_with_all_traffic() -> None:
    promoted, lb, steps = run(simulated_service(seed=7))
    assert promoted
    assert steps == [1, 5, 25]
    assert lb.weights == {"stable": 0, "canary": 100}


@pytest.mark.parametrize(
    "bad",
    [
        {"latency_factor": 1.2},  # 20 % slower
        {"error_rate": 0.03},  # errors up from 1 % to 3 %
    ],
)
def test_bad_canaries_are_rolled_back(bad: dict[str, float]) -> None:
    first_step = 0
    for seed in SEEDS:
        promoted, lb, steps = run(simulated_service(seed=seed, **bad))  # type: ignore[arg-type]
        assert not promoted
        assert lb.weights == {"stable": 100, "canary": 0}
        first_step += steps == [1]
    # Each interval has 60 points a side; the test's power against these shifts is
    # high but not 1, so a few bad canaries survive the 1 % step and die at 5 %.
    assert first_step >= 32


def test_a_faster_canary_is_not_punished() -> None:
    # Latency is "increase is bad": a significantly lower latency passes.
    promoted = [run(simulated_service(seed=s, latency_factor=0.8))[0] for s in range(10)]
    assert sum(promoted) >= 8


def test_error_direction_either_catches_a_drop_too() -> None:
    spec = MetricSpec("requests", direction="either")
    low = classify_metric(
        spec, [100.0 + i % 5 for i in range(30)], [80.0 + i % 5 for i in range(30)]
    )
    assert low.classification is Classification.LOW
    assert low.shift == -20.0
    only_up = classify_metric(MetricSpec("requests"), [100.0] * 5 + [101.0], [80.0] * 6)
    assert only_up.classification is Classification.PASS


def lognormal(seed: int, scale: float) -> list[float]:
    # A quiet metric (sigma 0.05) so that 500 points make a 2 % shift clearly significant.
    rng = random.Random(seed)
    return [50.0 * scale * rng.lognormvariate(0.0, 0.05) for _ in range(500)]


def test_effect_size_guard_lets_a_significant_but_tiny_shift_pass() -> None:
    base = lognormal(1, 1.0)
    slower = lognormal(2, 1.02)  # 2 % slower: real, but harmless
    plain = classify_metric(MetricSpec("latency_ms"), base, slower)
    assert plain.classification is Classification.HIGH
    assert plain.p_value < 1e-6
    assert 1.0 < plain.effect_size < 1.05
    tolerant = MetricSpec("latency_ms", allowed_increase=1.1)
    guarded = classify_metric(tolerant, base, slower)
    assert guarded.classification is Classification.PASS
    assert guarded.p_value == plain.p_value  # the test is unchanged; only the guard differs
    # A 30 % regression is past the allowance and still fails.
    assert classify_metric(tolerant, base, lognormal(3, 1.3)).classification is Classification.HIGH
    # The same guard on the other side, for a metric where a drop is bad.
    drop = MetricSpec("plays", direction="decrease", allowed_decrease=0.9)
    assert classify_metric(drop, base, lognormal(4, 0.98)).classification is Classification.PASS
    assert classify_metric(drop, base, lognormal(5, 0.7)).classification is Classification.LOW


def test_effect_size_guard_is_skipped_when_the_ratio_is_undefined() -> None:
    # A baseline with no errors at all: the ratio of means is undefined (Kayenta: NaN),
    # so only the test decides, whatever the allowance.
    spec = MetricSpec("errors", allowed_increase=10.0)
    result = classify_metric(spec, [0.0] * 40, [0.0, 1.0, 2.0, 1.0] * 10)
    assert math.isnan(result.effect_size)
    assert result.classification is Classification.HIGH


def scripted(verdicts: Sequence[str]) -> object:
    """A sampler whose canary latency is identical, shifted once, per interval, as scripted."""
    queue = list(verdicts)
    base = [float(10 + i % 7) for i in range(30)]

    def sample(pool: str, percent: int) -> Mapping[str, Sequence[float]]:
        if pool == "stable":
            return {"errors": base, "latency_ms": base, "cpu": base, "gc": base}
        kind = queue.pop(0)
        bad = [x + 50 for x in base]
        # pass: 4/4 = 100; marginal: 3/4 = 75; fail: 2/4 = 50 (no critical metric).
        failing = {"pass": 0, "marginal": 1, "fail": 2}[kind]
        names = ["latency_ms", "cpu", "gc", "errors"]
        return {n: bad if i < failing else base for i, n in enumerate(names)}

    return sample


FOUR = [MetricSpec("errors"), MetricSpec("latency_ms"), MetricSpec("cpu"), MetricSpec("gc")]


@pytest.mark.parametrize(
    ("script", "promoted", "steps"),
    [
        (["pass", "pass", "pass"], True, [1, 5, 25]),
        (["marginal", "pass", "pass", "pass"], True, [1, 1, 5, 25]),
        (["marginal", "marginal", "marginal"], False, [1, 1, 1]),  # retry budget 2
        (["pass", "fail"], False, [1, 5]),
        (["pass", "pass", "marginal"], False, [1, 5, 25]),  # the last interval must pass
    ],
)
def test_controller_state_machine(script: list[str], promoted: bool, steps: list[int]) -> None:
    lb = TrafficSplitter(canary_weights(0))
    rollout = CanaryController(lb, FOUR, scripted(script)).run()  # type: ignore[arg-type]
    assert rollout.promoted is promoted
    assert [p for p, _ in rollout.history] == steps
    assert lb.share("canary") == (1.0 if promoted else 0.0)


def test_judge_scores_like_kayenta() -> None:
    base = {n: [float(i % 9) for i in range(40)] for n in ("a", "b", "c", "d")}
    worse = {**base, "a": [x + 30 for x in base["a"]]}
    specs = [MetricSpec(n) for n in "abcd"]
    j = judge(specs, base, worse)
    assert (j.score, j.verdict) == (75.0, Verdict.MARGINAL)
    # A metric with no data is left out of the score, not counted as a failure.
    j = judge([*specs, MetricSpec("e")], base, worse)
    assert j.score == 75.0
    assert j.results[-1].classification is Classification.NODATA
    assert math.isnan(j.results[-1].p_value)
    # A failing critical metric forces 0 whatever the others say.
    j = judge([MetricSpec("a", critical=True), *specs[1:]], base, worse)
    assert (j.score, j.verdict) == (0.0, Verdict.FAIL)
    # No metric with data at all: score 0.
    assert judge(specs, {}, {}).score == 0.0


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: MetricSpec(""), ValueError, "metric name must be a non-empty str, got ''"),
        (lambda: MetricSpec("x", direction="up"), ValueError, "got 'up'"),
        (lambda: MetricSpec("x", critical=1), TypeError, "critical must be a bool, got 1"),  # type: ignore[arg-type]
        (lambda: judge([], {}, {}), ValueError, "specs must be a non-empty sequence"),
        (lambda: judge([MetricSpec("a")] * 2, {}, {}), ValueError, "must be distinct"),
        (lambda: judge({MetricSpec("a")}, {}, {}), TypeError, "specs must be a sequence"),  # type: ignore[arg-type]
        (lambda: judge(["a"], {}, {}), TypeError, "specs must hold MetricSpec, got str: 'a'"),  # type: ignore[list-item]
        (lambda: judge([MetricSpec("a")], [], {}), TypeError, "baseline must map"),  # type: ignore[arg-type]
        (
            lambda: judge([MetricSpec("a")], {}, {}, pass_threshold=math.nan),
            ValueError,
            "pass_threshold must be a finite number, got nan",
        ),
        (
            lambda: classify_metric(MetricSpec("a"), [1.0], [2.0], alpha=1.0),
            ValueError,
            "alpha must be below 1, got 1.0",
        ),
        (
            lambda: classify_metric(MetricSpec("a"), [1.0], [2.0], alpha=0),
            ValueError,
            "alpha must be a finite number in [0, 1] and > 0, got 0",
        ),
        (
            lambda: classify_metric(MetricSpec("a"), "12", [2.0]),  # type: ignore[arg-type]
            TypeError,
            "baseline must be a sequence of numbers",
        ),
        (
            lambda: classify_metric(MetricSpec("a"), [1.0], [math.inf]),
            ValueError,
            "got inf",
        ),
        (
            lambda: CanaryController(
                TrafficSplitter({"stable": 1}), FOUR, lambda p, q: {}, steps=(1, 50)
            ),
            ValueError,
            "end at 100, got (1, 50)",
        ),
        (
            lambda: CanaryController(TrafficSplitter({"stable": 1}), FOUR, 42),  # type: ignore[arg-type]
            TypeError,
            "sample must be callable, got int: 42",
        ),
        (
            lambda: CanaryController(
                TrafficSplitter({"stable": 1}), FOUR, lambda p, q: {}, max_marginal_retries=-1
            ),
            ValueError,
            "max_marginal_retries must be >= 0, got -1",
        ),
        (
            lambda: CanaryController({"stable": 1}, FOUR, lambda p, q: {}),  # type: ignore[arg-type]
            TypeError,
            "splitter must be a TrafficSplitter",
        ),
        (
            lambda: CanaryController(
                TrafficSplitter({"stable": 1}), FOUR, lambda p, q: {}, alpha=1.0
            ),
            ValueError,
            "alpha must be below 1, got 1.0",
        ),
        (
            lambda: MetricSpec("x", allowed_increase=0.9),
            ValueError,
            "allowed_increase must be >= 1, got 0.9",
        ),
        (
            lambda: MetricSpec("x", allowed_increase=math.nan),
            ValueError,
            "allowed_increase must be a finite number, got nan",
        ),
        (lambda: MetricSpec("x", allowed_increase=True), TypeError, "got bool: True"),
        (lambda: MetricSpec("x", allowed_decrease=0), ValueError, "got 0"),
        (lambda: MetricSpec("x", allowed_decrease=1.5), ValueError, "got 1.5"),
        (lambda: simulated_service(seed=1, latency_factor=0), ValueError, "got 0"),
        (lambda: simulated_service(seed=True), TypeError, "got bool: True"),
        (lambda: simulated_service(seed=1, error_rate=2.0), ValueError, "got 2.0"),
    ],
)
def test_bad_input(call: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error) as info:
        call()  # type: ignore[operator]
    assert message in str(info.value)
