"""CI/CD and deployment strategies: traffic splitting, automated canary analysis, feature flags.

Every deployment strategy answers one question: how many users see the new
version, and how fast can that number go back to zero? Interviewers ask about
it because outages are mostly caused by changes, and the defences (small
blast radius, automated judgement, fast rollback) are design decisions.

- :mod:`~studybook.senior.cicd_deployment.traffic`: a weighted load balancer
  for blue-green (a 0/100 flip) and canary steps (1, 5, 25, 100 percent);
- :mod:`~studybook.senior.cicd_deployment.stats`: the Mann-Whitney U test with
  tie correction, and the Hodges-Lehmann shift;
- :mod:`~studybook.senior.cicd_deployment.canary`: a Kayenta-style judge
  (classify each metric, score = passed / total, pass and marginal thresholds)
  and a controller that promotes or rolls back;
- :mod:`~studybook.senior.cicd_deployment.flags`: feature flags with targeting
  rules, a percentage rollout by stable hashing and a kill switch.

Invariants: with unchanged weights, every ``sum(weights)`` picks give each pool
exactly its weight; a rollback leaves the canary at weight 0; a user in a
flag's rollout at ``p`` percent stays in at every ``p' > p``.

=========================  ===================  ============================
Operation                  Time                 Note
=========================  ===================  ============================
pick a pool                O(P)                 P pools (2 in practice)
Mann-Whitney U             O(n log n)           n observations in all
judge a canary interval    O(M n1 n2 log)       M metrics (shift estimate)
evaluate a flag            O(R) + one SHA-256   R targeting rules
=========================  ===================  ============================

>>> from studybook.senior.cicd_deployment import TrafficSplitter, canary_weights
>>> lb = TrafficSplitter(canary_weights(25))
>>> [lb.pick() for _ in range(4)]
['stable', 'stable', 'canary', 'stable']

Primary sources: Mann and Whitney (1947); spinnaker/kayenta, ``NetflixACAJudge``
and ``MannWhitneyClassifier``; Google, *The Site Reliability Workbook*,
chapter 16 "Canarying Releases"; Clare Liguori, "Automating safe, hands-off
deployments", Amazon Builders' Library.
"""

from __future__ import annotations

import random
from typing import TextIO

from studybook._validate import check_int, check_real
from studybook.senior.cicd_deployment.canary import (
    CanaryController,
    Classification,
    Judgement,
    MetricResult,
    MetricSpec,
    Rollout,
    Sampler,
    Verdict,
    classify_metric,
    judge,
)
from studybook.senior.cicd_deployment.flags import Evaluation, FlagStore, Rule, bucket
from studybook.senior.cicd_deployment.stats import (
    MannWhitneyResult,
    hodges_lehmann,
    mann_whitney_u,
    midranks,
)
from studybook.senior.cicd_deployment.traffic import CANARY_STEPS, TrafficSplitter, canary_weights

__all__ = [
    "CANARY_STEPS",
    "CanaryController",
    "Classification",
    "Evaluation",
    "FlagStore",
    "Judgement",
    "MannWhitneyResult",
    "MetricResult",
    "MetricSpec",
    "Rollout",
    "Rule",
    "Sampler",
    "TrafficSplitter",
    "Verdict",
    "bucket",
    "canary_weights",
    "classify_metric",
    "demo",
    "hodges_lehmann",
    "judge",
    "mann_whitney_u",
    "midranks",
    "simulated_service",
]


def simulated_service(
    *,
    seed: int,
    latency_factor: float = 1.0,
    error_rate: float = 0.01,
    points: int = 60,
) -> Sampler:
    """A seeded stand-in for a metrics store: one interval of per-second observations.

    Both pools report ``latency_ms`` (log-normal, median about 50 ms, the
    canary's multiplied by ``latency_factor``) and ``errors`` (failed requests
    out of 100 per second, binomial; the canary's at ``error_rate``, the
    stable pool's at 1 %).

    Raises:
        ValueError: ``latency_factor`` not positive, ``error_rate`` outside
            [0, 1], ``points`` < 2.
        TypeError: wrong types (``bool`` included).

    >>> sample = simulated_service(seed=1)
    >>> data = sample("canary", 5)
    >>> sorted(data), len(data["latency_ms"])
    (['errors', 'latency_ms'], 60)
    """
    check_int(seed, "seed")
    factor = check_real(latency_factor, "latency_factor", positive=True)
    bad_rate = check_real(error_rate, "error_rate", low=0, high=1)
    n = check_int(points, "points", minimum=2)
    rng = random.Random(seed)  # noqa: S311 - a reproducible simulation, not crypto

    def sample(pool: str, percent: int) -> dict[str, list[float]]:
        scale = factor if pool == "canary" else 1.0
        rate = bad_rate if pool == "canary" else 0.01
        return {
            "latency_ms": [50.0 * scale * rng.lognormvariate(0.0, 0.3) for _ in range(n)],
            "errors": [float(sum(rng.random() < rate for _ in range(100))) for _ in range(n)],
        }

    return sample


def demo(out: TextIO) -> None:
    """Split traffic, run a healthy and a bad canary, and roll a feature flag out.

    >>> import io
    >>> buf = io.StringIO(); demo(buf)
    >>> print(buf.getvalue(), end="")
    Traffic split over 100 requests (smooth weighted round robin)
      canary weight   0: canary got   0, first at request None
      canary weight   1: canary got   1, first at request 50
      canary weight   5: canary got   5, first at request 10
      canary weight  25: canary got  25, first at request 2
      canary weight 100: canary got 100, first at request 0
    <BLANKLINE>
    Canary analysis: Mann-Whitney U per metric, alpha 0.02, pass 95, marginal 75
      healthy canary     1%: 100 pass, 5%: 100 pass, 25%: 100 pass -> promoted, canary at 100%
      latency +20 %      1%: 50 fail -> rolled back, canary at 0%
      errors 1 % -> 3 %  1%: 0 fail -> rolled back, canary at 0%
    <BLANKLINE>
    Feature flag 'new-checkout', 10,000 users
      at   1 %:   100 users on, all 0 earlier users still on: True
      at  10 %:  1018 users on, all 100 earlier users still on: True
      at  50 %:  4914 users on, all 1018 earlier users still on: True
      at 100 %: 10000 users on, all 4914 earlier users still on: True
      two flags at 10 %: 1018 and 987 users, 112 in both
      after kill: 0 users on
    """
    out.write("Traffic split over 100 requests (smooth weighted round robin)\n")
    for percent in (0, *CANARY_STEPS):
        lb = TrafficSplitter(canary_weights(percent))
        picks = [lb.pick() for _ in range(100)]
        first = picks.index("canary") if "canary" in picks else None
        out.write(
            f"  canary weight {percent:>3}: canary got {picks.count('canary'):>3}, "
            f"first at request {first}\n"
        )

    specs = [MetricSpec("errors", critical=True), MetricSpec("latency_ms")]
    cases = (
        ("healthy canary", simulated_service(seed=7)),
        ("latency +20 %", simulated_service(seed=7, latency_factor=1.2)),
        ("errors 1 % -> 3 %", simulated_service(seed=7, error_rate=0.03)),
    )
    out.write("\nCanary analysis: Mann-Whitney U per metric, alpha 0.02, pass 95, marginal 75\n")
    for name, sampler in cases:
        lb = TrafficSplitter(canary_weights(0))
        rollout = CanaryController(lb, specs, sampler).run()
        steps = ", ".join(f"{p}%: {j.score:.0f} {j.verdict.value}" for p, j in rollout.history)
        outcome = "promoted" if rollout.promoted else "rolled back"
        out.write(f"  {name:<18} {steps} -> {outcome}, canary at {lb.share('canary'):.0%}\n")

    out.write("\nFeature flag 'new-checkout', 10,000 users\n")
    flags = FlagStore()
    flags.define("new-checkout")
    flags.define("dark-mode", percentage=10)
    users = [f"user-{i}" for i in range(10_000)]
    previous: set[str] = set()
    for percent in (1, 10, 50, 100):
        flags.set_percentage("new-checkout", percent)
        on = {u for u in users if flags.is_enabled("new-checkout", u)}
        out.write(
            f"  at {percent:>3} %: {len(on):>5} users on, "
            f"all {len(previous)} earlier users still on: {previous <= on}\n"
        )
        previous = on
    flags.set_percentage("new-checkout", 10)
    a = {u for u in users if flags.is_enabled("new-checkout", u)}
    b = {u for u in users if flags.is_enabled("dark-mode", u)}
    out.write(f"  two flags at 10 %: {len(a)} and {len(b)} users, {len(a & b)} in both\n")
    flags.kill("new-checkout")
    out.write(f"  after kill: {sum(flags.is_enabled('new-checkout', u) for u in users)} users on\n")
