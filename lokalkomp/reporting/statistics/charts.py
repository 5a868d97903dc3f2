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
