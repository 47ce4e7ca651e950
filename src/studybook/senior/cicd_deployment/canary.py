"""Automated canary analysis: classify each metric, score the canary, promote or roll back.

The judge follows the shape of Kayenta's ``NetflixACAJudge`` (Spinnaker):

1. **Classify each metric.** Compare the canary's observations with the
   baseline's by the Mann-Whitney U test
   (:mod:`studybook.senior.cicd_deployment.stats`): *high* or *low* when the
   difference is significant at level ``alpha`` in that direction, *pass*
   otherwise, *nodata* when either side is empty. A metric declares which
   direction is bad (latency: ``increase``; throughput: ``decrease``); a
   significant move the other way passes.
2. **Score** = 100 * passed / (passed + high + low); nodata is left out. A
   failing *critical* metric forces the score to 0.
3. **Classify the score** with two thresholds: ``>= pass_threshold`` is
   *pass*, ``>= marginal_threshold`` is *marginal*, below is *fail*.

Kayenta's ``MannWhitneyClassifier`` decides from the confidence interval
(98 % in ``NetflixACAJudge``) for the Hodges-Lehmann shift that the same test
yields: *high* when the whole interval lies above ``0.25 * |estimate|``, a
tolerance that makes it a little stricter than "the interval excludes zero".
This module decides from the test's two-sided p-value at ``alpha = 0.02``,
the textbook form; "excludes zero" and "p below alpha" are the same test
inverted, and the relative tolerance is left out. That tolerance is *not* a
guard against tiny shifts: it scales with the estimate, and as samples grow
the interval narrows around any shift, however small. The guard against a
significant but harmless change is Kayenta's second condition, which this
module keeps: the *effect size*, the ratio of the canary's mean to the
baseline's, must reach the metric's ``allowed_increase`` for *high* (or fall
to ``allowed_decrease`` for *low*); both default to 1.0, Kayenta's default
(``canary.effectSize.allowedIncrease`` / ``allowedDecrease`` in the metric's
analysis configuration, ``NetflixACAJudge.scala``). When the ratio is
undefined (a mean of 0) the guard is skipped, as Kayenta skips it.

The :class:`CanaryController` walks a
:class:`~studybook.senior.cicd_deployment.traffic.TrafficSplitter` through the
steps (1, 5, 25, 100 percent), judging after each: a *fail* rolls back to 0
at once; a *marginal* holds the step and judges again, up to a retry budget;
the last judgement before 100 % must be a *pass*. These are this chapter's
rules; Spinnaker's documentation says only that its judgement "can also be
configured to continue on with a canary when the result is marginal".
"""

from __future__ import annotations

import enum
import itertools
import math
import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from studybook._validate import check_callable, check_int, check_real, check_str
from studybook.senior.cicd_deployment.stats import hodges_lehmann, mann_whitney_u
from studybook.senior.cicd_deployment.traffic import (
    CANARY_STEPS,
    TrafficSplitter,
    canary_weights,
)

__all__ = [
    "CanaryController",
    "Classification",
    "Judgement",
    "MetricResult",
    "MetricSpec",
    "Rollout",
    "Sampler",
    "Verdict",
    "classify_metric",
    "judge",
]


class Classification(enum.Enum):
    """A metric's class after comparing canary with baseline."""

    PASS = "pass"  # noqa: S105 - a label, not a password
    HIGH = "high"
    LOW = "low"
    NODATA = "nodata"


class Verdict(enum.Enum):
    """The class of a canary score."""

    PASS = "pass"  # noqa: S105 - a label, not a password
    MARGINAL = "marginal"
    FAIL = "fail"


_DIRECTIONS = ("increase", "decrease", "either")


@dataclass(frozen=True)
class MetricSpec:
    """One metric the judge compares.

    Attributes:
        name: the metric's name, as the samples are keyed.
        direction: which change is bad: ``"increase"`` (latency, errors),
            ``"decrease"`` (throughput, successful plays) or ``"either"``.
        critical: a failure of this metric fails the whole canary (score 0).
        allowed_increase: the effect-size guard for *high*: the canary's mean
            over the baseline's must be at least this (1.1 accepts any
            increase under 10 %); at least 1.0, the default.
        allowed_decrease: the guard for *low*: the ratio must be at most this;
            in (0, 1], default 1.0.
    """

    name: str
    direction: str = "increase"
    critical: bool = False
    allowed_increase: float = 1.0
    allowed_decrease: float = 1.0

    def __post_init__(self) -> None:
        check_str(self.name, "metric name", nonempty=True)
        if self.direction not in _DIRECTIONS:
            raise ValueError(f"direction must be one of {_DIRECTIONS}, got {self.direction!r}")
        if not isinstance(self.critical, bool):
            raise TypeError(f"critical must be a bool, got {self.critical!r}")
        if check_real(self.allowed_increase, "allowed_increase") < 1:
            raise ValueError(f"allowed_increase must be >= 1, got {self.allowed_increase!r}")
        check_real(self.allowed_decrease, "allowed_decrease", low=0, high=1, positive=True)


@dataclass(frozen=True)
class MetricResult:
    """One metric's classification, with the evidence (``nan`` when there was no data).

    Attributes:
        name: the metric's name.
        classification: pass, high, low or nodata.
        p_value: the Mann-Whitney two-sided p-value.
        shift: the Hodges-Lehmann shift, canary minus baseline, in the metric's unit.
        effect_size: the canary's mean over the baseline's (``nan`` unless both
            means are positive).
    """

    name: str
    classification: Classification
    p_value: float
    shift: float
    effect_size: float


def classify_metric(
    spec: MetricSpec,
    baseline: Sequence[float],
    canary: Sequence[float],
    *,
    alpha: float = 0.02,
) -> MetricResult:
    """Classify one metric of the canary against the baseline by the Mann-Whitney U test.

    Args:
        spec: the metric and which direction is bad.
        baseline: the baseline's observations over the interval.
        canary: the canary's observations over the interval.
        alpha: the significance level, in (0, 1); 0.02 matches Kayenta's 98 %
            confidence level.

    Returns:
        HIGH or LOW if the shift is significant, in a direction ``spec`` calls
        bad, and the effect size passes ``spec``'s allowance (skipped when the
        ratio of means is undefined); NODATA if a side is empty; PASS otherwise.

    Raises:
        ValueError: ``alpha`` outside (0, 1), NaN or an infinity in a sample.
        TypeError: a sample that is not a sequence of numbers.

    Complexity: O(n1 * n2 log(n1 * n2)) for the shift estimate.

    >>> latency = MetricSpec("latency_ms")
    >>> classify_metric(latency, [10, 11, 12, 13] * 5, [14, 15, 16, 17] * 5).classification
    <Classification.HIGH: 'high'>
    >>> classify_metric(latency, [14, 15, 16, 17] * 5, [10, 11, 12, 13] * 5).classification
    <Classification.PASS: 'pass'>
    >>> classify_metric(latency, [], [1.0]).classification
    <Classification.NODATA: 'nodata'>
    >>> tolerant = MetricSpec("latency_ms", allowed_increase=1.5)  # +35 %: significant, allowed
    >>> classify_metric(tolerant, [10, 11, 12, 13] * 5, [14, 15, 16, 17] * 5).classification
    <Classification.PASS: 'pass'>
    """
    if not isinstance(spec, MetricSpec):
        raise TypeError(f"spec must be a MetricSpec, got {type(spec).__name__}: {spec!r}")
    check_real(alpha, "alpha", low=0.0, high=1.0, positive=True)
    if alpha >= 1:
        raise ValueError(f"alpha must be below 1, got {alpha!r}")
    for sample, what in ((baseline, "baseline"), (canary, "canary")):
        if isinstance(sample, str | bytes) or not isinstance(sample, Sequence):
            raise TypeError(f"{what} must be a sequence of numbers, got {sample!r}")
    if not baseline or not canary:
        nan = float("nan")
        return MetricResult(spec.name, Classification.NODATA, nan, nan, nan)
    test = mann_whitney_u(baseline, canary)
    shift = hodges_lehmann(baseline, canary)
    ratio = _mean_ratio(baseline, canary)
    label = Classification.PASS
    if test.p_value < alpha and test.u != test.mean:
        moved_up = test.u > test.mean
        # NaN compares False both ways, hence the explicit isnan: no ratio, no guard.
        big_enough_up = math.isnan(ratio) or ratio >= spec.allowed_increase
        big_enough_down = math.isnan(ratio) or ratio <= spec.allowed_decrease
        if moved_up and spec.direction in ("increase", "either") and big_enough_up:
            label = Classification.HIGH
        elif not moved_up and spec.direction in ("decrease", "either") and big_enough_down:
            label = Classification.LOW
    return MetricResult(spec.name, label, test.p_value, shift, ratio)


def _mean_ratio(baseline: Sequence[float], canary: Sequence[float]) -> float:
    # Kayenta's EffectSizes.meanRatio is NaN when a mean is 0; a negative mean
    # makes a ratio meaningless too, so it is NaN here as well.
    base, can = statistics.fmean(baseline), statistics.fmean(canary)
    return can / base if base > 0 and can > 0 else float("nan")


@dataclass(frozen=True)
class Judgement:
    """A canary judgement: the score out of 100, its verdict and every metric's result."""

    score: float
    verdict: Verdict
    results: tuple[MetricResult, ...]


def judge(
    specs: Sequence[MetricSpec],
    baseline: Mapping[str, Sequence[float]],
    canary: Mapping[str, Sequence[float]],
    *,
    alpha: float = 0.02,
    pass_threshold: float = 95.0,
    marginal_threshold: float = 75.0,
) -> Judgement:
    """Score a canary over one interval, as Kayenta's judge does with a single metric group.

    Args:
        specs: the metrics to compare (at least one, distinct names).
        baseline: metric name -> the baseline's observations (a missing name is no data).
        canary: metric name -> the canary's observations.
        alpha: significance level per metric.
        pass_threshold: lowest score that passes, in [0, 100].
        marginal_threshold: lowest score that is marginal, in [0, pass_threshold].

    Returns:
        The score (100 * passed / classified metrics; 0 if a critical metric
        failed or no metric had data), its verdict and the per-metric results.

    Raises:
        ValueError: no specs, duplicate names, thresholds out of order or range.
        TypeError: a spec that is not a :class:`MetricSpec`, samples not mappings.

    Complexity: one :func:`classify_metric` per metric.

    >>> specs = [MetricSpec("errors", critical=True), MetricSpec("latency_ms")]
    >>> base = {"errors": [0, 1, 0, 0] * 5, "latency_ms": [10, 11, 12, 13] * 5}
    >>> j = judge(specs, base, {"errors": [0, 0, 1, 0] * 5, "latency_ms": [14, 15, 16, 17] * 5})
    >>> j.score, j.verdict
    (50.0, <Verdict.FAIL: 'fail'>)
    >>> judge(specs, base, base).verdict
    <Verdict.PASS: 'pass'>
    >>> judge(specs, base, base, pass_threshold=50, marginal_threshold=60)
    Traceback (most recent call last):
        ...
    ValueError: need 0 <= marginal_threshold <= pass_threshold <= 100, got 60.0 and 50.0
    """
    pass_at = check_real(pass_threshold, "pass_threshold")
    marginal_at = check_real(marginal_threshold, "marginal_threshold")
    if not 0 <= marginal_at <= pass_at <= 100:
        raise ValueError(
            "need 0 <= marginal_threshold <= pass_threshold <= 100, "
            f"got {marginal_at!r} and {pass_at!r}"
        )
    _check_specs(specs)
    for sample, what in ((baseline, "baseline"), (canary, "canary")):
        if not isinstance(sample, Mapping):
            raise TypeError(f"{what} must map metric names to samples, got {sample!r}")
    results = tuple(
        classify_metric(s, baseline.get(s.name, ()), canary.get(s.name, ()), alpha=alpha)
        for s in specs
    )
    counted = [r for r in results if r.classification is not Classification.NODATA]
    passed = sum(r.classification is Classification.PASS for r in counted)
    score = 100.0 * passed / len(counted) if counted else 0.0
    if any(
        s.critical and r.classification is not Classification.PASS
        for s, r in zip(specs, results, strict=True)
    ):
        score = 0.0
    if score >= pass_at:
        verdict = Verdict.PASS
    elif score >= marginal_at:
        verdict = Verdict.MARGINAL
    else:
        verdict = Verdict.FAIL
    return Judgement(score, verdict, results)


def _check_specs(specs: object) -> None:
    if isinstance(specs, str | bytes) or not isinstance(specs, Sequence):
        raise TypeError(
            f"specs must be a sequence of MetricSpec, got {type(specs).__name__}: {specs!r}"
        )
    if not specs:
        raise ValueError(f"specs must be a non-empty sequence of MetricSpec, got {specs!r}")
    for s in specs:
        if not isinstance(s, MetricSpec):
            raise TypeError(f"specs must hold MetricSpec, got {type(s).__name__}: {s!r}")
    names = [s.name for s in specs]
    if len(set(names)) != len(names):
        raise ValueError(f"metric names must be distinct, got {names!r}")


Sampler = Callable[[str, int], Mapping[str, Sequence[float]]]
"""``sample(pool, percent)`` returns one interval's observations per metric for
``pool`` (``"stable"`` or ``"canary"``) while the canary takes ``percent`` of traffic."""


@dataclass(frozen=True)
class Rollout:
    """What a :class:`CanaryController` did.

    Attributes:
        promoted: True if the canary reached 100 %, False if it was rolled back.
        history: ``(percent, judgement)`` for every interval judged, in order.
        final_weights: the splitter's weights at the end.
    """

    promoted: bool
    history: tuple[tuple[int, Judgement], ...]
    final_weights: dict[str, int]


class CanaryController:
    """Walk a canary through traffic steps, judging each; promote or roll back.

    At each step below 100 % the controller sets the splitter's weights, takes
    one interval of metrics from ``sample`` for both pools and judges them.
    FAIL rolls back (canary weight 0) at once. MARGINAL judges the same step
    again, at most ``max_marginal_retries`` times in a row, then rolls back.
    PASS moves to the next step. Reaching the last step (100) is promotion.

    Args:
        splitter: the traffic splitter to drive; it must have the two pools.
        specs: the metrics to judge.
        sample: see :data:`~studybook.senior.cicd_deployment.canary.Sampler`; in
            production a metrics query, here a seeded simulation.
        steps: increasing percentages ending at 100.
        max_marginal_retries: marginal judgements allowed in a row per step.
        alpha: passed to :func:`judge`.
        pass_threshold: passed to :func:`judge`.
        marginal_threshold: passed to :func:`judge`.

    Raises:
        ValueError: steps not strictly increasing in (0, 100] or not ending at 100.
        TypeError: a non-callable ``sample`` or wrong argument types.

    Complexity: one :func:`judge` per interval; at most
    ``len(steps) * (max_marginal_retries + 1)`` intervals.

    >>> lb = TrafficSplitter(canary_weights(0))
    >>> same = lambda pool, percent: {"latency_ms": [10.0, 11.0, 12.0, 13.0] * 5}
    >>> r = CanaryController(lb, [MetricSpec("latency_ms")], same).run()
    >>> r.promoted, [p for p, _ in r.history], r.final_weights
    (True, [1, 5, 25], {'stable': 0, 'canary': 100})
    >>> CanaryController(lb, [MetricSpec("latency_ms")], same, steps=(5, 1, 100))
    Traceback (most recent call last):
        ...
    ValueError: steps must increase strictly within (0, 100] and end at 100, got (5, 1, 100)
    """

    def __init__(
        self,
        splitter: TrafficSplitter,
        specs: Sequence[MetricSpec],
        sample: Sampler,
        *,
        steps: Sequence[int] = CANARY_STEPS,
        max_marginal_retries: int = 2,
        alpha: float = 0.02,
        pass_threshold: float = 95.0,
        marginal_threshold: float = 75.0,
    ) -> None:
        if not isinstance(splitter, TrafficSplitter):
            raise TypeError(f"splitter must be a TrafficSplitter, got {splitter!r}")
        _check_specs(specs)
        check_callable(sample, "sample")
        checked = tuple(check_int(s, "step", minimum=1, maximum=100) for s in steps)
        if not checked or checked[-1] != 100 or any(a >= b for a, b in itertools.pairwise(checked)):
            raise ValueError(
                f"steps must increase strictly within (0, 100] and end at 100, got {tuple(steps)!r}"
            )
        self.splitter = splitter
        self.specs = tuple(specs)
        self.sample = sample
        self.steps = checked
        self.max_marginal_retries = check_int(
            max_marginal_retries, "max_marginal_retries", minimum=0
        )
        if check_real(alpha, "alpha", low=0.0, high=1.0, positive=True) >= 1:
            raise ValueError(f"alpha must be below 1, got {alpha!r}")
        self._judge_args = {
            "alpha": alpha,
            "pass_threshold": check_real(pass_threshold, "pass_threshold", low=0, high=100),
            "marginal_threshold": check_real(
                marginal_threshold, "marginal_threshold", low=0, high=pass_threshold
            ),
        }

    def run(self) -> Rollout:
        """Run the rollout to promotion or rollback and report every judgement."""
        history: list[tuple[int, Judgement]] = []
        analysed = self.steps[:-1]
        for index, percent in enumerate(analysed):
            self.splitter.set_weights(canary_weights(percent))
            marginals = 0
            while True:
                j = judge(
                    self.specs,
                    self.sample("stable", percent),
                    self.sample("canary", percent),
                    **self._judge_args,
                )
                history.append((percent, j))
                last = index == len(analysed) - 1
                if j.verdict is Verdict.PASS:
                    break
                if j.verdict is Verdict.MARGINAL and not last:
                    marginals += 1
                    if marginals <= self.max_marginal_retries:
                        continue
                return self._finish(promoted=False, history=history)
        return self._finish(promoted=True, history=history)

    def _finish(self, *, promoted: bool, history: list[tuple[int, Judgement]]) -> Rollout:
        self.splitter.set_weights(canary_weights(100 if promoted else 0))
        return Rollout(promoted, tuple(history), self.splitter.weights)
