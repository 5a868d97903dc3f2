"""Bar charts drawn on the server as SVG, with their text alternative.

A small chart of our own rather than a library: pygal, the obvious one, writes inline <script> and
<style> into its SVG, which the Content-Security-Policy forbids, and the pages need only horizontal bars.
Colours are presentation attributes (not CSS), so no inline style is needed. The page puts the same
numbers in a table beside each chart: the chart is `role="img"` with a <title> and a <desc> that say
what it shows in words.
"""

from __future__ import annotations

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from lokalkomp.templatetags.nor import format_kroner

COLOURS = ("#1e6e8c", "#7a4d9c", "#b4540a", "#2f7d32", "#8a6d00", "#a3214b")
LABEL_WIDTH = 260
BAR_WIDTH = 360
ROW = 28


def bar_chart(*, chart_id: str, title: str, items: list[tuple[str, int]]) -> SafeString:
    """One bar per (label, kroner); the largest bar fills the width."""
    top = max((value for _label, value in items), default=0) or 1
    height = ROW * max(len(items), 1) + 8
    desc = "; ".join(f"{label}: {format_kroner(value)}" for label, value in items)
    bars = format_html_join(
        "",
        '<g><text x="{}" y="{}" text-anchor="end" font-size="13" fill="#1a1a1a">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="18" fill="{}"></rect>'
        '<text x="{}" y="{}" font-size="13" fill="#1a1a1a">{}</text></g>',
        (
            (
                LABEL_WIDTH - 8,
                i * ROW + 18,
                _short(label),
                LABEL_WIDTH,
                i * ROW + 4,
                max(1, round(BAR_WIDTH * value / top)),
                COLOURS[i % len(COLOURS)],
                LABEL_WIDTH + max(1, round(BAR_WIDTH * value / top)) + 6,
                i * ROW + 18,
                format_kroner(value),
            )
            for i, (label, value) in enumerate(items)
        ),
    )
    width = LABEL_WIDTH + BAR_WIDTH + 130
    return _svg(chart_id, width, height, title, desc, bars)


PAIR_ROW = 46  # two bars of 16 and the gap between groups


def paired_bar_chart(
    *, chart_id: str, title: str, names: tuple[str, str], items: list[tuple[str, int, int]]
) -> SafeString:
    """Two bars per label, the first series above the second (e.g. granted, then used), on one scale.

    Not by colour alone: each bar's value is written beside it with its series' name («Tildelt: kr …»), and the
    second series is drawn as an outline. The <desc> says every pair in words.
    """
    top = max((max(first, second) for _label, first, second in items), default=0) or 1
    height = PAIR_ROW * max(len(items), 1) + 8
    desc = "; ".join(
        f"{label}: {names[0]} {format_kroner(first)}, {names[1]} {format_kroner(second)}"
        for label, first, second in items
    )

    def width(value: int) -> int:
        return max(1, round(BAR_WIDTH * value / top))

    bars = format_html_join(
        "",
        '<g><text x="{}" y="{}" text-anchor="end" font-size="13" fill="#1a1a1a">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="16" fill="{}"></rect>'
        '<text x="{}" y="{}" font-size="12" fill="#1a1a1a">{}: {}</text>'
        '<rect x="{}" y="{}" width="{}" height="15" fill="#ffffff" stroke="{}" stroke-width="2"></rect>'
        '<text x="{}" y="{}" font-size="12" fill="#1a1a1a">{}: {}</text></g>',
        (
            (
                LABEL_WIDTH - 8,
                i * PAIR_ROW + 24,
                _short(label),
                LABEL_WIDTH,
                i * PAIR_ROW + 4,
                width(first),
                COLOURS[0],
                LABEL_WIDTH + width(first) + 6,
                i * PAIR_ROW + 17,
                names[0],
                format_kroner(first),
                LABEL_WIDTH + 1,
                i * PAIR_ROW + 22,
                width(second),
                COLOURS[2],
                LABEL_WIDTH + width(second) + 6,
                i * PAIR_ROW + 34,
                names[1],
                format_kroner(second),
            )
            for i, (label, first, second) in enumerate(items)
        ),
    )
    total_width = LABEL_WIDTH + BAR_WIDTH + 190
    return _svg(chart_id, total_width, height, title, desc, bars)


def _svg(chart_id: str, width: int, height: int, title: str, desc: str, bars: SafeString) -> SafeString:
    """The chart's frame: an image with its title and its description in words (the text alternative)."""
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" class="lk-chart" id="{}" viewBox="0 0 {} {}" '
        'width="100%" aria-labelledby="{}-title {}-desc"><title id="{}-title">{}</title>'
        '<desc id="{}-desc">{}</desc>{}</svg>',
        chart_id,
        width,
        height,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        desc,
        bars,
    )


def _short(label: str) -> str:
    return label if len(label) <= 38 else label[:36] + "…"
