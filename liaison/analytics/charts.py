"""Charts drawn as inline SVG by our own small code, so a report works offline and prints."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

BAR = 18  # height of one horizontal bar, in SVG user units
LABEL = 250  # room for the labels left of the bars
LABEL_CHARS = 40  # longer labels are cut, the full text kept as a tooltip
WIDTH = 680
INK = "#1f4e79"


def _number(value: float) -> str:
    if value == int(value):
        return f"{value:,.0f}"
    # Shares of one (betweenness) need more digits than counts do.
    return f"{value:.3f}" if abs(value) < 1 else f"{value:,.1f}"


def _label(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def bar_chart(items: Sequence[tuple[str, float]], title: str, limit: int = 12) -> str:
    """Draw labelled horizontal bars, largest first as given; at most `limit` bars."""
    shown = list(items[:limit])
    height = BAR * len(shown) + 30
    top = max((value for _, value in shown), default=0) or 1
    span = WIDTH - LABEL - 60
    rows = []
    for index, (label, value) in enumerate(shown):
        y = 24 + index * BAR
        width = span * value / top
        rows.append(
            f'<text x="{LABEL - 6}" y="{y + 13}" text-anchor="end">'
            f"<title>{escape(label)}</title>{escape(_label(label))}</text>"
            f'<rect x="{LABEL}" y="{y + 2}" width="{width:.1f}" height="{BAR - 5}" fill="{INK}"/>'
            f'<text x="{LABEL + width + 4:.1f}" y="{y + 13}">{_number(value)}</text>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-label="{escape(title)}" '
        f'font-family="sans-serif" font-size="12">'
        f'<text x="0" y="14" font-weight="bold">{escape(title)}</text>{"".join(rows)}</svg>'
    )


def column_chart(items: Sequence[tuple[str, float]], title: str, height: int = 200) -> str:
    """Draw one labelled column per item, in the order given (years, for example)."""
    top = max((value for _, value in items), default=0) or 1
    slot = (WIDTH - 20) / max(len(items), 1)
    base = height - 22
    usable = base - 40
    # Label every year when there is room, else every second or fifth one.
    every = 1 if slot >= 34 else 2 if slot >= 17 else 5
    columns = []
    for index, (label, value) in enumerate(items):
        column = usable * value / top
        x = 10 + index * slot + slot * 0.15
        middle = x + slot * 0.35
        columns.append(
            f'<rect x="{x:.1f}" y="{base - column:.1f}" width="{slot * 0.7:.1f}" '
            f'height="{column:.1f}" fill="{INK}"><title>{escape(label)}: {_number(value)}</title>'
            "</rect>"
        )
        if value and (slot >= 26 or value == top):
            columns.append(
                f'<text x="{middle:.1f}" y="{base - column - 4:.1f}" text-anchor="middle">'
                f"{_number(value)}</text>"
            )
        if index % every == 0:
            columns.append(
                f'<text x="{middle:.1f}" y="{base + 15}" text-anchor="middle">'
                f"{escape(label)}</text>"
            )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-label="{escape(title)}" '
        f'font-family="sans-serif" font-size="11">'
        f'<text x="0" y="14" font-weight="bold" font-size="12">{escape(title)}</text>'
        f'<line x1="0" y1="{base}" x2="{WIDTH}" y2="{base}" stroke="#999"/>'
        f"{''.join(columns)}</svg>"
    )
