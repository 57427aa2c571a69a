"""The similarity histogram as inline SVG, so the report shows it without scripts or images.

Counts are drawn on a square-root scale: the bin of exact copies usually dwarfs the rest, and a
linear scale would hide the valley (or its absence) around the threshold that the chart is for.
Exact counts are in each bar's tooltip.
"""

from __future__ import annotations

from html import escape

from cleaner.report.data import Histogram

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 40, 10, 12, 34
COLOURS = {"jaccard": "#3b6fb6", "containment": "#e39b2d"}


def histogram_svg(h: Histogram) -> str:
    """One ``<svg>`` element: bars per bin and measure, threshold lines, axis labels and a legend."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    lo, hi = h.bins[0], h.bins[-1]
    span = (hi - lo) or 1.0
    top = max((max(counts, default=0) for counts in h.series.values()), default=0) or 1

    def x(value: float) -> float:
        return LEFT + (value - lo) / span * plot_w

    def height(count: int) -> float:
        return (count / top) ** 0.5 * plot_h

    parts = [
        f'<svg class="histogram" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" '
        f'aria-label="Histogram of pair similarities">',
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}" class="axis"/>',
    ]
    names = list(h.series)
    for b in range(len(h.bins) - 1):
        left, right = x(h.bins[b]), x(h.bins[b + 1])
        slot = (right - left) / max(len(names), 1)
        for k, name in enumerate(names):
            count = h.series[name][b]
            bar = height(count)
            parts.append(
                f'<rect x="{left + k * slot + 0.5:.1f}" y="{TOP + plot_h - bar:.1f}" width="{max(slot - 1, 0.5):.1f}" '
                f'height="{bar:.1f}" fill="{COLOURS.get(name, "#777")}"><title>{escape(name)} '
                f"{h.bins[b]:.2f}–{h.bins[b + 1]:.2f}: {count}</title></rect>"
            )
    for tick in range(11):
        value = lo + span * tick / 10
        parts.append(f'<text x="{x(value):.1f}" y="{HEIGHT - BOTTOM + 14}" class="tick">{value:.1f}</text>')
    parts.append(f'<text x="4" y="{TOP + 8}" class="tick-y">{top}</text>')
    parts.append(f'<text x="4" y="{TOP + plot_h}" class="tick-y">0</text>')
    for k, (name, value) in enumerate(sorted(h.thresholds.items())):
        parts.append(
            f'<line x1="{x(value):.1f}" y1="{TOP}" x2="{x(value):.1f}" y2="{TOP + plot_h}" class="threshold" '
            f'stroke="{COLOURS.get(name, "#c00")}"/>'
            f'<text x="{x(value) - 4:.1f}" y="{TOP + 10 + 12 * k}" class="threshold-label">'
            f"{escape(name)} threshold {value:g}</text>"
        )
    legend_x = LEFT
    for name in names:
        parts.append(
            f'<rect x="{legend_x}" y="{HEIGHT - 12}" width="10" height="10" fill="{COLOURS.get(name, "#777")}"/>'
            f'<text x="{legend_x + 14}" y="{HEIGHT - 3}" class="legend">{escape(name)}</text>'
        )
        legend_x += 110
    parts.append("</svg>")
    return "".join(parts)
