"""The static growth-curve chart of the PDF edition, drawn as plain SVG text."""

from __future__ import annotations

import math
from collections.abc import Callable

from studybook.dsa.big_o._check import check_int, check_real

__all__ = ["growth_chart_svg"]


_CHART_CURVES: tuple[tuple[str, Callable[[float], float], str, str], ...] = (
    # label, f, colour (Okabe-Ito, readable in colour and in grey), dash pattern
    ("O(1)", lambda n: 1.0, "#000000", ""),
    ("O(log n)", lambda n: math.log2(n), "#56B4E9", "2 3"),
    ("O(n)", lambda n: n, "#009E73", ""),
    ("O(n log n)", lambda n: n * math.log2(n), "#0072B2", "6 3"),
    ("O(n^2)", lambda n: n * n, "#E69F00", ""),
    ("O(2^n)", lambda n: 2.0**n, "#D55E00", "6 3"),
    ("O(n!)", lambda n: math.gamma(n + 1), "#CC79A7", "2 3"),
)


def growth_chart_svg(max_n: int = 20, y_max: float = 100.0, *, width: int = 640) -> str:
    """Draw f(n) for each class as a static SVG chart (the PDF's growth chart).

    Curves are sampled every quarter step of n and clipped at ``y_max``;
    each is labelled where it leaves the chart or at its right end. Colours
    are the Okabe-Ito palette and curves also differ by dash pattern, so the
    chart reads in grey print. Output is deterministic (fixed decimals).

    Args:
        max_n: right end of the n axis (>= 2).
        y_max: top of the operations axis (> 1).
        width: pixel width; the height is 5/8 of it.

    Returns:
        The SVG document as text.

    Raises:
        TypeError: if ``max_n`` or ``width`` is not an int, or ``y_max`` not a number.
        ValueError: if ``max_n < 2``, ``y_max`` is not a finite number > 1,
            or ``width < 200``.

    Complexity: O(max_n) per curve.

    >>> svg = growth_chart_svg()
    >>> svg.startswith("<svg"), svg.count("<polyline")
    (True, 7)
    >>> growth_chart_svg(max_n=1)
    Traceback (most recent call last):
    ValueError: max_n must be >= 2, got 1
    """
    check_int("max_n", max_n, 2)
    check_int("width", width, 200)
    if check_real("y_max", y_max) <= 1:
        raise ValueError(f"y_max must be > 1, got {y_max!r}")
    height = width * 5 // 8
    left, right, top, bottom = 56, 96, 32, 48
    plot_w, plot_h = width - left - right, height - top - bottom

    def x_px(n: float) -> float:
        return left + (n - 1) / (max_n - 1) * plot_w

    def y_px(v: float) -> float:
        return top + plot_h - v / y_max * plot_h

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
        "<title>Growth of common complexity classes: operations against input size n</title>",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
        f'<clipPath id="plot"><rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}"/>'
        "</clipPath>",
    ]
    for i in range(5):  # horizontal grid lines and y labels
        value = y_max * i / 4
        y = y_px(value)
        out.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#cccccc"/>'
        )
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{value:g}</text>')
    for n in range(1, max_n + 1, max(1, max_n // 10)):
        x = x_px(n)
        out.append(f'<text x="{x:.1f}" y="{top + plot_h + 16}" text-anchor="middle">{n}</text>')
    out.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
        'stroke="#333333"/>'
    )
    out.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#333333"/>')
    out.append(
        f'<text x="{left + plot_w / 2:.1f}" y="{height - 10}" text-anchor="middle">'
        "input size n</text>"
    )
    out.append(
        f'<text x="14" y="{top + plot_h / 2:.1f}" text-anchor="middle" '
        f'transform="rotate(-90 14 {top + plot_h / 2:.1f})">operations</text>'
    )
    steps = [1 + k / 4 for k in range((max_n - 1) * 4 + 1)]
    right_labels: list[tuple[float, str, str]] = []
    for label, f, colour, dash in _CHART_CURVES:
        # Keep the points below y_max and the first one above; the clip path trims it.
        shown = [n for n in steps if f(n) <= y_max]
        shown += steps[len(shown) : len(shown) + 1]
        points = " ".join(f"{x_px(n):.1f},{y_px(f(n)):.1f}" for n in shown)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<polyline clip-path="url(#plot)" fill="none" stroke="{colour}" stroke-width="2"'
            f'{dash_attr} points="{points}"/>'
        )
        if f(steps[-1]) <= y_max:  # label at the right end, spaced out below
            right_labels.append((y_px(f(steps[-1])) + 4, label, colour))
        else:  # label above the plot, where the curve leaves it
            exit_x = x_px(shown[-1])
            out.append(
                f'<text x="{exit_x:.1f}" y="{top - 8}" text-anchor="middle" '
                f'fill="{colour}">{label}</text>'
            )
    previous = math.inf
    for y, label, colour in sorted(right_labels, reverse=True):
        y = min(y, previous - 13)  # keep labels of close curves from overlapping
        previous = y
        out.append(
            f'<text x="{left + plot_w + 6}" y="{y:.1f}" text-anchor="start" '
            f'fill="{colour}">{label}</text>'
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"
