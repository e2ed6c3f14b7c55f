"""Write a report as text, JSON or self-contained HTML."""

from __future__ import annotations

import json
from collections.abc import Iterable
from html import escape

from liaison.analytics import charts
from liaison.analytics.claims import Verdict
from liaison.analytics.figures import NO_MECHANISM
from liaison.analytics.report import Report, report_data

TOP = 15  # rows of the long tables shown in text and HTML (JSON has them all)


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}%"


def _change(value: float | None) -> str:
    return "" if value is None else f"{value:+.1f}%"


def _period(report: Report) -> str:
    scope = report.scope
    start = scope.date_from.isoformat() if scope.date_from else "the start of the record"
    end = scope.date_to.isoformat() if scope.date_to else "today"
    unit = f", unit {report.unit} and the units below it" if report.unit else ""
    return f"from {start} to {end}{unit}"


def headline(report: Report) -> list[tuple[str, str]]:
    """Return the headline figures as (label, value) pairs, in reading order."""
    fig = report.figures
    return [
        ("Exchanges", f"{fig.exchanges:,}"),
        ("Counterparts in contact", f"{fig.counterparts:,}"),
        ("… of which parties (organs counted as their party)", f"{fig.parties:,}"),
        ("Countries reached", f"{fig.countries_reached:,}"),
        (
            "Share from developing countries",
            f"{_percent(fig.developing_share)} "
            f"({fig.developing_counterparts:,} of {fig.counterparts_with_status:,})",
        ),
        ("Mechanisms used", f"{fig.mechanisms_used:,}"),
        (
            "Delegations sent / received / unknown",
            f"{fig.delegations.sent:,} / {fig.delegations.received:,} / "
            f"{fig.delegations.unknown:,}",
        ),
        ("Briefings held", f"{fig.briefings:,}"),
        (
            "Briefing audience: counterparts / countries / people",
            f"{fig.briefing_audience_counterparts:,} / {fig.briefing_audience_countries:,} / "
            f"{fig.briefing_audience_people:,}",
        ),
        (
            "Messages sent / received / unknown",
            f"{fig.messages.sent:,} / {fig.messages.received:,} / {fig.messages.unknown:,}",
        ),
    ]


def breakdowns(report: Report) -> list[tuple[str, dict[str, int]]]:
    """Return the breakdowns shown as tables and charts."""
    fig = report.figures
    return [
        ("Exchanges by type", fig.exchanges_by_type),
        ("Exchanges by channel", fig.exchanges_by_channel),
        ("Exchanges by mechanism", fig.exchanges_by_mechanism),
        ("Exchanges by unit", fig.exchanges_by_unit),
        ("Counterparts by kind", fig.counterparts_by_kind),
        ("Counterparts by region", fig.counterparts_by_region),
    ]


def growth_cells(report: Report) -> list[tuple[str, str, str, str, str, str]]:
    """Return the growth table's rows; a run of three or more empty years is one row."""
    cells: list[tuple[str, str, str, str, str, str]] = []
    rows = report.growth
    index = 0
    while index < len(rows):
        end = index
        while end < len(rows) and rows[end].exchanges == 0:
            end += 1
        if end - index >= 3:
            span = f"{rows[index].year}–{rows[end - 1].year}"
            cells.append((span, "0", "", "0", "", "0"))
            index = end
            continue
        y = rows[index]
        cells.append(
            (
                str(y.year),
                f"{y.exchanges:,}",
                _change(y.exchanges_change),
                f"{y.counterparts:,}",
                _change(y.counterparts_change),
                f"{y.new_counterparts:,}",
            )
        )
        index += 1
    return cells


def render_json(report: Report) -> str:
    """Return the report as indented JSON."""
    return json.dumps(report_data(report), indent=2, ensure_ascii=False)


def _table(rows: Iterable[Iterable[object]]) -> list[str]:
    return ["  " + "  ".join(str(cell) for cell in row) for row in rows]


def render_text(report: Report) -> str:
    """Return the report as plain text."""
    lines = [f"liaison report {_period(report)}", f"home country: {report.scope.home or '?'}"]
    lines += ["", "Headline figures"]
    width = max(len(label) for label, _ in headline(report))
    lines += [f"  {label:<{width}}  {value}" for label, value in headline(report)]
    lines.append(f"  (development status: {report.convention})")
    for title, counts in breakdowns(report):
        lines += ["", title]
        lines += [f"  {count:>8,}  {label}" for label, count in list(counts.items())[:TOP]]
    lines += ["", "Country groups (members at period end: reached / members, counterparts)"]
    lines += _table(
        (f"{g.code:<12}", f"{g.countries_reached:>3} / {g.members:<3}", g.counterparts)
        for g in report.figures.counterparts_by_group
    )
    lines += ["", "Growth year on year (exchanges, change; counterparts, change; new)"]
    lines += _table(
        (f"{year:<9}", f"{n:>8}", f"{nc:>8}", f"{c:>6}", f"{cc:>8}", f"{new:>6}")
        for year, n, nc, c, cc, new in growth_cells(report)
    )
    lines += ["", f"Latest contacts ({len(report.contacts):,} counterparts in contact)"]
    lines += _table((s.last, s.first, f"{s.exchanges:>5}", s.name) for s in report.contacts[:TOP])
    lines += ["", f"Dormant: no contact in {report.dormant_years} years ({len(report.dormant)})"]
    lines += _table((s.last, s.name) for s in report.dormant[:TOP])
    missing = report.countries_without_contact
    lines += ["", f"Countries with no contact ({len(missing)})"]
    lines += ["  " + ", ".join(c.name for c in missing[:60]) + (" …" if len(missing) > 60 else "")]
    lines += _network_text(report)
    lines += ["", f"Claims against the record ({len(report.claims)}: {verdict_counts(report)})"]
    for check in report.claims:
        claim = check.claim
        lines.append(
            f"  [{check.verdict}] {claim.qualifier} {claim.value:g} {claim.subject}"
            f" (as of {claim.as_of or 'no date'}): {check.reason}"
        )
    return "\n".join(lines) + "\n"


def _network_text(report: Report) -> list[str]:
    network = report.network
    sampled = (
        f" (betweenness from {network.betweenness_sources} sources on the"
        f" {network.edges_kept:,} strongest ties)"
        if network.betweenness_sampled
        else ""
    )
    lines = [
        "",
        f"Network: {network.nodes:,} counterparts, {network.edges:,} ties, "
        f"{len(network.communities):,} communities{sampled}",
        "  key counterparts by shared exchanges:",
    ]
    lines += _table((f"{s.strength:>6,}", s.degree, s.name) for s in report.key_by_strength)
    lines.append("  key counterparts by betweenness:")
    lines += _table((f"{s.betweenness:.3f}", s.name) for s in report.key_by_betweenness)
    lines.append("  ties between regions:")
    lines += _table(
        (f"{b.weight:>6,}", f"{b.pairs:>5,}", " – ".join(b.regions))
        for b in network.region_bridges[:TOP]
    )
    return lines


STYLE = """
body{font-family:Georgia,serif;max-width:60em;margin:2em auto;padding:0 1em;color:#222}
h1,h2{font-family:sans-serif;color:#1f4e79}h2{border-bottom:1px solid #ccc;margin-top:2em}
table{border-collapse:collapse;margin:.5em 0}td,th{padding:.2em .6em;border-bottom:1px solid #eee;
text-align:left;vertical-align:top}td.n{text-align:right;font-variant-numeric:tabular-nums}
.agrees{color:#1b7f3b}.above-the-record{color:#b03a2e}.below-the-record{color:#9a6700}
.not-comparable{color:#666}.meta{color:#555}svg{max-width:100%;height:auto}
figure.chart{margin:1em 0}table.claims{font-size:.9em}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}table,svg{break-inside:avoid}}
"""


def _rows(cells: Iterable[Iterable[object]], numeric: frozenset[int] = frozenset()) -> str:
    out = []
    for row in cells:
        tds = "".join(
            f'<td class="n">{escape(str(c))}</td>' if i in numeric else f"<td>{escape(str(c))}</td>"
            for i, c in enumerate(row)
        )
        out.append(f"<tr>{tds}</tr>")
    return "".join(out)


def _head(*names: str) -> str:
    return "<tr>" + "".join(f"<th>{escape(n)}</th>" for n in names) + "</tr>"


def render_html(report: Report) -> str:
    """Return the report as one self-contained, printable HTML page (inline CSS and SVG)."""
    fig = report.figures
    parts = [
        "<!doctype html><html lang=en><head><meta charset=utf-8>",
        f"<title>liaison report {escape(_period(report))}</title><style>{STYLE}</style></head>",
        f"<body><h1>Report {escape(_period(report))}</h1>",
        f'<p class="meta">Home country: {escape(report.scope.home or "?")}. Development status:'
        f" {escape(report.convention)}.</p>",
        "<h2>Headline figures</h2><table>",
        _rows(headline(report), frozenset({1})),
        "</table>",
        charts.column_chart(
            [(str(y.year), y.exchanges) for y in report.growth], "Exchanges per year"
        ),
    ]
    parts.append("<h2>Breakdowns</h2>")
    for title, counts in breakdowns(report):
        # The exchanges outside any mechanism are a total, not a mechanism: the table says them.
        shown = [(label, n) for label, n in counts.items() if label != NO_MECHANISM]
        parts.append(f'<figure class="chart">{charts.bar_chart(shown, title)}</figure>')
    parts += [
        "<h2>Country groups</h2><table>",
        _head("group", "countries reached", "members", "counterparts"),
        _rows(
            (
                (g.name, g.countries_reached, g.members, g.counterparts)
                for g in fig.counterparts_by_group
            ),
            frozenset({1, 2, 3}),
        ),
        "</table><h2>Growth year on year</h2><table>",
        _head("year", "exchanges", "change", "counterparts", "change", "new counterparts"),
        _rows(growth_cells(report), frozenset({1, 2, 3, 4, 5})),
        f"</table><h2>Latest contacts</h2><p>{len(report.contacts):,} counterparts in contact;"
        f" the {min(TOP, len(report.contacts))} most recent:</p><table>",
        _head("last contact", "first contact", "exchanges", "counterpart"),
        _rows(
            ((s.last, s.first, s.exchanges, s.name) for s in report.contacts[:TOP]), frozenset({2})
        ),
        f"</table><h2>Dormant counterparts</h2><p>No contact in {report.dormant_years} years:"
        f" {len(report.dormant):,}.</p><table>",
        _head("last contact", "counterpart"),
        _rows((s.last, s.name) for s in report.dormant[:TOP]),
        f"</table><h2>Countries with no contact</h2><p>{len(report.countries_without_contact)}:"
        f" {escape(', '.join(c.name for c in report.countries_without_contact))}</p>",
        _network_html(report),
        _claims_html(report),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _network_html(report: Report) -> str:
    network = report.network
    sampled = (
        f" Betweenness is estimated from {network.betweenness_sources} fixed-seed sources on"
        f" each counterpart's strongest ties ({network.edges_kept:,} ties)."
        if network.betweenness_sampled
        else ""
    )
    return "".join(
        [
            f"<h2>Network</h2><p>{network.nodes:,} counterparts linked by {network.edges:,} ties"
            f" (shared exchanges), in {len(network.communities):,} communities.{sampled}</p>",
            "<table>",
            _head("counterpart", "country", "shared exchanges", "ties", "betweenness"),
            _rows(
                (
                    (s.name, s.country, s.strength, s.degree, f"{s.betweenness:.3f}")
                    for s in report.key_by_strength
                ),
                frozenset({2, 3, 4}),
            ),
            "</table>",
            charts.bar_chart(
                [(s.name, s.betweenness) for s in report.key_by_betweenness],
                "Key counterparts by betweenness",
            ),
            "<table>",
            _head("regions", "pairs", "shared exchanges"),
            _rows(
                ((" – ".join(b.regions), b.pairs, b.weight) for b in network.region_bridges[:TOP]),
                frozenset({1, 2}),
            ),
            "</table>",
        ]
    )


def verdict_counts(report: Report) -> str:
    """Summarise the verdicts of the claims: "agrees: 3, above the record: 5, ..."."""
    counts = dict.fromkeys(Verdict, 0)
    for check in report.claims:
        counts[check.verdict] += 1
    return ", ".join(f"{verdict}: {n}" for verdict, n in counts.items())


def _claims_html(report: Report) -> str:
    rows = []
    for check in report.claims:
        claim = check.claim
        css = str(check.verdict).replace(" ", "-")
        rows.append(
            "<tr>"
            f"<td>{escape(claim.qualifier)} {claim.value:g} {escape(claim.subject)}</td>"
            f"<td>{claim.as_of or ''}</td><td>{escape(check.metric or '')}</td>"
            f'<td class="n">{"" if check.record is None else f"{check.record:g}"}</td>'
            f'<td class="{css}">{escape(str(check.verdict))}</td><td>{escape(check.reason)}</td>'
            f"<td>{escape(claim.source_title or claim.source_url)}</td></tr>"
        )
    return (
        f"<h2>Claims against the record</h2><p>{len(report.claims)} claims:"
        f" {escape(verdict_counts(report))}.</p><table class='claims'>"
        + _head("claim", "as of", "metric", "record", "verdict", "why", "source")
        + "".join(rows)
        + "</table>"
    )
