"""Template filters and tags of the web application: dates with precision, evidence, labels."""

from __future__ import annotations

import datetime
import functools
from typing import Any
from urllib.parse import quote

from django import template
from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.text import Truncator

register = template.Library()

# How much of the source text to show on each side of an evidence span.
CONTEXT_CHARS = 240
# The page of each kind of record that audit entries name.
RECORD_PAGES = {
    "Exchange": "exchange_detail",
    "Actor": "actor_detail",
    "Mechanism": "mechanism_detail",
    "Country": "country_detail",
    "Source": "source_detail",
}


@register.filter
def when(obj: Any) -> str:
    """Write an object's date to its precision: '14 May 2024', 'May 2024' or '2024'."""
    day = getattr(obj, "date", None)
    if not isinstance(day, datetime.date):
        return ""
    precision = getattr(obj, "date_precision", "day")
    text = (
        str(day.year)
        if precision == "year"
        else day.strftime("%b %Y")
        if precision == "month"
        else f"{day.day} {day:%b %Y}"
    )
    end = getattr(obj, "end_date", None)
    if isinstance(end, datetime.date) and end != day:
        text += f" – {end.day} {end:%b %Y}"
    return text


@register.filter
def label(value: Any) -> str:
    """Turn a stored code ('in_person', 'delegation_head') into words."""
    return str(value or "").replace("_", " ")


def highlight_span(text: str, start: int, end: int, context: int = CONTEXT_CHARS) -> SafeString:
    """Return the text around a span, escaped, with the span inside <mark>."""
    left = max(0, start - context)
    right = min(len(text), end + context)
    # Cut at a word boundary so the context does not start or end mid-word.
    if left > 0:
        space = text.find(" ", left, start)
        left = space + 1 if space != -1 else left
    if right < len(text):
        space = text.rfind(" ", end, right)
        right = space if space != -1 else right
    return format_html(
        "{}{}<mark>{}</mark>{}{}",
        "…" if left > 0 else "",
        text[left:start],
        text[start:end],
        text[end:right],
        "…" if right < len(text) else "",
    )


@register.simple_tag
def evidence_in_source(evidence: Any) -> SafeString | str:
    """Show an evidence span inside its source's text, or the evidence text when it has no span."""
    text = evidence.source.text if evidence.source_id else ""
    start, end = evidence.start, evidence.end
    if text and start is not None and end is not None and 0 <= start < end <= len(text):
        return highlight_span(text, start, end)
    return str(evidence.text)


@register.simple_tag
def marked_text(text: str, spans: list[tuple[int, int]]) -> SafeString:
    """Return a whole text, escaped, with every valid, non-overlapping span inside <mark>."""
    parts: list[SafeString] = []
    position = 0
    for start, end in sorted(spans):
        if start < position or not 0 <= start < end <= len(text):
            continue
        parts.append(format_html("{}<mark>{}</mark>", text[position:start], text[start:end]))
        position = end
    parts.append(format_html("{}", text[position:]))
    return SafeString("".join(parts))


@register.filter
def section(url_name: str | None) -> str:
    """Return the navigation section of a URL name ('exchange_detail' → 'exchange')."""
    return (url_name or "").split("_")[0]


@register.filter
def audit_value(value: Any) -> str:
    """Write a value from an audit snapshot compactly ('—' for empty)."""
    if value in (None, "", [], {}):
        return "—"
    text = ", ".join(_audit_item(item) for item in value) if isinstance(value, list) else str(value)
    return text if len(text) <= 160 else text[:157] + "…"


def _audit_item(item: Any) -> str:
    """Name one element of a listed value: a row snapshot by its name, value or status."""
    if isinstance(item, dict):
        for key in ("name", "value", "status", "title"):
            if item.get(key):
                return str(item[key])
    return str(item)


@register.filter
def item(mapping: Any, key: str) -> Any:
    """Look a key up in a mapping ('' when it is not there or not a mapping)."""
    return mapping.get(key, "") if isinstance(mapping, dict) else ""


@register.filter
def record_url(entry: Any) -> str:
    """Return the page of the record an audit entry is about, or '' when it has none."""
    name = RECORD_PAGES.get(getattr(entry, "object_type", ""))
    if name is None or str(getattr(entry, "action", "")).startswith("delete"):
        return ""
    try:
        return reverse(name, args=[entry.object_id])
    except NoReverseMatch:
        return ""


_STAND_IN = "8675309"  # an id no real one is mistaken for once written in a path


@functools.lru_cache(maxsize=64)
def _path_pattern(name: str, prefix: str) -> tuple[str, str]:
    # Reversed once per page kind (and script prefix), then the id is put in its place.
    path = reverse(name, args=[int(_STAND_IN)])
    before, _, after = path.partition(_STAND_IN)
    return before, after


@register.filter
def page_of(pk: Any, name: str) -> str:
    """Return the path of a record's page: {% url name pk %} without resolving it each time.

    A list of fifty exchanges names four pages per row; reversing each costs more than the row.
    """
    before, after = _path_pattern(name, get_script_prefix())
    return f"{before}{quote(str(pk), safe='')}{after}"


@register.simple_tag
def exchange_cells(exchanges: Any) -> SafeString:
    """Write the table rows of a list of exchanges (what _exchange_rows.html lays out).

    Written here rather than in the template: the rows of a page of fifty exchanges are the
    costliest part of the lists, and the template engine took several times longer for them.
    """
    rows = [_exchange_row(exchange) for exchange in exchanges]
    if not rows:
        return SafeString('<tr><td colspan="5" class="empty">No exchanges.</td></tr>')
    return SafeString("\n".join(rows))


def _exchange_row(exchange: Any) -> str:
    badges = ""
    if exchange.review_status in ("proposed", "rejected"):
        badges += format_html('<span class="badge {0}">{0}</span>', exchange.review_status)
    if exchange.visibility == "internal":
        badges += '<span class="badge internal">internal</span>'
    people = "".join(
        format_html(
            '<li><a href="{}">{}</a> <span class="role">{}</span></li>',
            page_of(p.actor_id, "actor_detail"),
            p.actor.name,
            p.get_role_display(),
        )
        for p in exchange.participations.all()
    )
    summary = (
        format_html('<div class="summary">{}</div>', Truncator(exchange.summary).chars(180))
        if exchange.summary
        else ""
    )
    place: str = conditional_escape(exchange.city)
    if exchange.country:
        country = format_html(
            '<a href="{}">{}</a>',
            page_of(exchange.country_id, "country_detail"),
            exchange.country.name,
        )
        place += (", " if exchange.city else "") + country
    mechanism = ""
    if exchange.mechanism:
        mechanism = format_html(
            '<a href="{}">{}</a>',
            page_of(exchange.mechanism_id, "mechanism_detail"),
            exchange.mechanism.name,
        )
        if exchange.edition:
            mechanism += format_html('<div class="muted small">{}</div>', exchange.edition.name)
    return format_html(
        '<tr>\n      <td class="col-date"><a href="{}">{}</a></td>\n'
        '      <td><span class="tag">{}</span>\n'
        '        <div class="muted small">{}</div>\n        {}</td>\n'
        '      <td>\n        <ul class="participants">{}</ul>\n        {}\n      </td>\n'
        "      <td>{}</td>\n      <td>{}</td>\n    </tr>",
        page_of(exchange.pk, "exchange_detail"),
        when(exchange),
        exchange.get_type_display(),
        exchange.get_channel_display(),
        SafeString(badges),
        SafeString(people),
        summary,
        SafeString(place),
        SafeString(mechanism),
    )
