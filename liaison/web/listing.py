"""What every list page shares: facets with counts, sorting, pagination and downloads."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, overload
from urllib.parse import urlencode

from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Model, QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.functional import cached_property
from django.utils.html import escape

from liaison.ledger.queries import year_of
from liaison.web.kept import kept, scope_of
from liaison.web.parquet import parquet_response

M = TypeVar("M", bound=Model)

PER_PAGE = 50
FACET_VALUES = 12
COUNT_CAP = 10_000
# A list's facets are counted over at most this many of its newest rows: three pages. The rows
# read are what a search costs the database (at a million exchanges, 300 took PostgreSQL about
# 22 ms a search, 150 about 12).
FACET_SAMPLE = 150
COMBINED_GROUPS = 100_000  # past this many value combinations, facets are counted one by one
DOWNLOAD_CHUNK = 2000
KEPT_LABELS = 2000  # a facet's related table up to this many rows has its labels kept whole
_NOT_FILTERS = ("page", "sort", "format")  # parameters that change no count


_TERM = re.compile(r'"([^"]+)"|(\S+)')


def search_terms(q: str) -> list[str]:
    """Split a search into terms; a "quoted phrase" is one term."""
    return [quoted or word for quoted, word in _TERM.findall(q)]


def url_with(request: HttpRequest, **changes: str | int | None) -> str:
    """Return the current query string with some parameters set (or removed when None).

    Any change other than the page itself starts again from the first page.
    """
    # A list page makes dozens of links: the request's own parameters are encoded once.
    params = dict(_encoded(request))
    if "page" not in changes:
        params.pop("page", None)
    for name, value in changes.items():
        if value is None or value == "":
            params.pop(name, None)
        else:
            params[name] = urlencode([(name, str(value))])
    query = "&".join(part for part in params.values() if part)
    return f"?{query}" if query else "?"


def _encoded(request: HttpRequest) -> dict[str, str]:
    """Return each query parameter of the request URL-encoded ("name=value&name=value2"),
    kept on the request: its query string does not change."""
    encoded: dict[str, str] | None = getattr(request, "_encoded_query", None)
    if encoded is None:
        encoded = {
            name: urlencode([(name, v) for v in values]) for name, values in request.GET.lists()
        }
        request._encoded_query = encoded  # type: ignore[attr-defined]
    return encoded


@dataclass(frozen=True)
class FacetSpec:
    """A facet: the query parameter, the field it filters and the field that labels its values."""

    param: str
    title: str
    field: str
    label_field: str | None = None
    labels: Mapping[str, str] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class FacetValue:
    """One value of a facet, how many rows have it, and the link that toggles it."""

    value: str
    label: str
    count: int
    selected: bool
    url: str


@dataclass(frozen=True)
class Facet:
    """A facet with its most frequent values."""

    param: str
    title: str
    values: list[FacetValue]
    selected_label: str = ""
    clear_url: str = ""


def choice_labels(model: type[Model], name: str) -> dict[str, str]:
    """Return the display labels of a model field's choices."""
    model_field = model._meta.get_field(name)
    choices = getattr(model_field, "choices", None) or []
    return {str(value): str(label) for value, label in choices}


def apply_facets(
    queryset: QuerySet[M], request: HttpRequest, specs: Sequence[FacetSpec]
) -> QuerySet[M]:
    """Filter a queryset by every facet value chosen in the request."""
    for spec in specs:
        value = request.GET.get(spec.param, "").strip()
        if value:
            queryset = queryset.filter(**{spec.field: value})
    return queryset


def _to_many(model: type[Model], path: str) -> bool:
    """Tell whether a lookup path crosses a relation that can repeat a row (one-to-many)."""
    for name in path.split("__"):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return False  # a transform such as year
        if field.one_to_many or field.many_to_many:
            return True
        if not isinstance(field.related_model, type):
            return False
        model = field.related_model
    return False


FacetRows = list[list[tuple[Any, Any, int]]]


def _grouped_apart(queryset: QuerySet[M], specs: Sequence[FacetSpec]) -> FacetRows:
    """Count each facet with its own grouped query: (value, label, count), most frequent first."""
    found = []
    for spec in specs:
        grouped, group = queryset.order_by(), spec.field
        if spec.field.endswith("__year"):
            grouped = grouped.annotate(facet_year=year_of(spec.field.removesuffix("__year")))
            group = "facet_year"
        columns = [group] + ([spec.label_field] if spec.label_field else [])
        # Counting distinct rows costs a sort; only a to-many path can repeat a row.
        distinct = _to_many(queryset.model, spec.field)
        rows = (
            grouped.values(*columns)
            .annotate(n=Count("pk", distinct=distinct))
            .order_by("-n", group)[:FACET_VALUES]
        )
        label = spec.label_field or group
        found.append([(row[group], row[label], row["n"]) for row in rows])
    return found


def _grouped_together(
    queryset: QuerySet[M], specs: Sequence[FacetSpec]
) -> tuple[FacetRows, int] | None:
    """Count every facet and the rows from one grouped query; None when it has too many groups.

    One pass over the matching rows instead of one per facet: what a search costs is finding
    its rows, and this finds them once.
    """
    if any(_to_many(queryset.model, spec.field) for spec in specs):
        return None
    years, groups, columns = _facet_columns(specs)
    rows = list(
        queryset.order_by()
        .annotate(**years)
        .values(*columns)
        .annotate(n=Count("pk"))
        .order_by()[: COMBINED_GROUPS + 1]
    )
    if len(rows) > COMBINED_GROUPS:
        return None
    return _tally(rows, specs, groups), sum(row["n"] for row in rows)


def _facet_columns(specs: Sequence[FacetSpec]) -> tuple[dict[str, Any], list[str], list[str]]:
    """Return the year annotations, the column each facet groups by and every column to read."""
    years = {}
    groups = []
    for number, spec in enumerate(specs):
        group = spec.field
        if spec.field.endswith("__year"):
            group = f"facet_{number}"
            years[group] = year_of(spec.field.removesuffix("__year"))
        groups.append(group)
    columns = list(dict.fromkeys(groups + [s.label_field for s in specs if s.label_field]))
    return years, groups, columns


def _tally(
    rows: Iterable[Mapping[str, Any]], specs: Sequence[FacetSpec], groups: Sequence[str]
) -> FacetRows:
    """Add up rows (each with its count n) per value of each facet, most frequent first."""
    rows = list(rows)
    found = []
    for spec, group in zip(specs, groups, strict=True):
        counts: Counter[Any] = Counter()
        labels: dict[Any, Any] = {}
        for row in rows:
            value = row[group]
            if value is None or value == "":
                continue
            counts[value] += row["n"]
            labels[value] = row[spec.label_field or group]
        ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:FACET_VALUES]
        found.append([(value, labels[value], n) for value, n in ordered])
    return found


def facet_counts(
    queryset: QuerySet[M], request: HttpRequest, specs: Sequence[FacetSpec]
) -> list[Facet]:
    """Count the rows per value of each facet, in one grouped query when the groups are few."""
    return counted_facets(queryset, request, specs)[0]


def counted_facets(
    queryset: QuerySet[M], request: HttpRequest, specs: Sequence[FacetSpec]
) -> tuple[list[Facet], int | None]:
    """Return the facets and, when one grouped query counted them, how many rows match."""

    def count() -> tuple[FacetRows, int | None]:
        together = _grouped_together(queryset, specs)
        return together if together is not None else (_grouped_apart(queryset, specs), None)

    if queryset.model._meta.app_label == "ledger":
        # Every change of the ledger is audited, so its counts are kept until the next one
        # (per reader's scope and filters): a search asked again costs only its page.
        asked = sorted((k, v) for k, v in request.GET.items() if k not in _NOT_FILTERS)
        key = f"facets:{request.path}:{scope_of(request.user)}:{asked}"
        grouped, total = kept(hashlib.sha256(key.encode()).hexdigest(), count)
    else:
        grouped, total = count()
    return _facets(grouped, request, specs), total


def sampled_facets(
    queryset: QuerySet[M],
    request: HttpRequest,
    specs: Sequence[FacetSpec],
    ordering: Sequence[str],
    sample: int = FACET_SAMPLE,
) -> tuple[list[Facet], int | None, list[Any]]:
    """Count the facets over the first `sample` rows in this order; return them, how many
    rows match, or None when more than `sample` do (the counts then describe only those),
    and the ids of the rows read, in order (what the first pages show).

    What mature search tools do for large results: the rows read stop at the sample, where a
    full count would read every match (a common word matches a large part of a big ledger).
    """
    if any(_to_many(queryset.model, spec.field) for spec in specs):
        facets, total = counted_facets(queryset, request, specs)
        ids = list(queryset.order_by(*ordering).values_list("pk", flat=True)[: sample + 1])
        return facets, total if total is not None else queryset.count(), ids

    # Not kept in the shared cache: with thousands of entries on disk, each write there lists
    # them all (Django's culling), which cost more than reading the sample again.
    grouped, total, ids = _sampled(queryset, specs, ordering, sample)
    return _facets(grouped, request, specs), total, ids


def _sampled(
    queryset: QuerySet[M], specs: Sequence[FacetSpec], ordering: Sequence[str], sample: int
) -> tuple[FacetRows, int | None, list[Any]]:
    """Count each facet's values (with their labels) over the first `sample` rows in this
    order; return them, how many rows match (None: more than `sample`) and the ids read."""
    years, groups, _ = _facet_columns(specs)
    # The rows' own columns only: the labels of the few values shown are read afterwards.
    read = queryset.order_by(*ordering).annotate(**years).values_list("pk", *groups)
    rows = list(read[: sample + 1])
    complete = len(rows) <= sample
    columns = list(zip(*rows[:sample], strict=True)) or [()] * (len(specs) + 1)
    counted: list[list[tuple[Any, int]]] = []
    for column in columns[1:]:
        counts = Counter(column)
        counts.pop(None, None)
        counts.pop("", None)
        counted.append(sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:FACET_VALUES])
    names = _labels(queryset.model, specs, [[value for value, _ in top] for top in counted])
    grouped = [
        [(value, labels.get(value, value), n) for value, n in top]
        for top, labels in zip(counted, names, strict=True)
    ]
    ids = list(columns[0]) if complete else [row[0] for row in rows]
    return grouped, len(rows) if complete else None, ids


def _labels(
    model: type[Model], specs: Sequence[FacetSpec], values: Sequence[Sequence[Any]]
) -> list[dict[Any, Any]]:
    """Return the label of each value shown of each facet, read from the related table it names.

    A ledger's small tables (countries, mechanisms, units) are kept whole until it changes, in
    one entry for every facet: one read of the cache instead of a query per facet.
    """
    wanted = [(spec, shown) for spec, shown in zip(specs, values, strict=True) if shown]
    if not any(spec.label_field for spec, _ in wanted):
        return [{} for _ in specs]
    if model._meta.app_label != "ledger":
        return [_labels_of(model, spec, shown) for spec, shown in zip(specs, values, strict=True)]
    tables = ",".join(spec.label_field or "-" for spec in specs)
    every = kept(
        f"labels:{model._meta.label}:{tables}",
        lambda: [_labels_of(model, spec, None) for spec in specs],
    )
    return [
        found if found is not None else _labels_of(model, spec, shown)
        for spec, shown, found in zip(specs, values, every, strict=True)
    ]


def _labels_of(model: type[Model], spec: FacetSpec, values: Sequence[Any] | None) -> Any:
    """Return the labels of these values of a facet ({} when it has none to read); values None:
    of every value when the related table has at most KEPT_LABELS rows, else None."""
    if spec.label_field is None or values == []:
        return {}
    relation, _, attribute = spec.label_field.partition("__")
    related: Any = model._meta.get_field(relation).related_model
    key = spec.field.removeprefix(f"{relation}__")
    if key == f"{relation}_id":
        key = "pk"
    if values is not None:
        rows = related.objects.filter(**{f"{key}__in": values}).values_list(key, attribute)
        return dict(rows)
    every = dict(related.objects.order_by().values_list(key, attribute)[: KEPT_LABELS + 1])
    return every if len(every) <= KEPT_LABELS else None


def _facets(grouped: FacetRows, request: HttpRequest, specs: Sequence[FacetSpec]) -> list[Facet]:
    """Return the facets of counted values, each value with the link that toggles it."""
    facets = []
    for spec, rows in zip(specs, grouped, strict=True):
        selected = request.GET.get(spec.param, "").strip()
        values = []
        for raw, raw_label, n in rows:
            if raw is None or raw == "":
                continue
            value = str(raw)
            label = str(raw_label) if spec.label_field else value
            label = spec.labels.get(value, label.replace("_", " "))
            chosen = value == selected
            url = url_with(request, **{spec.param: None if chosen else value})
            values.append(FacetValue(value, label, n, chosen, url))
        selected_label = next((v.label for v in values if v.selected), selected)
        facets.append(
            Facet(
                spec.param,
                spec.title,
                values,
                selected_label if selected else "",
                url_with(request, **{spec.param: None}) if selected else "",
            )
        )
    return facets


SELECTED = (' class="selected"', ' title="Remove this filter"')  # a chosen value's attributes


def facets_html(facets: Sequence[Facet], sample: Any = None, count_all_url: str = "") -> str:
    """Write a list's facet panel (what _facets.html includes), with the note of a sample.

    Written here rather than looped in the template, which took longer than the rest of a
    page of search results but its rows.
    """
    parts = ['<aside class="facets" aria-label="Filters">\n']
    if sample:
        parts.append(
            '  <p class="facet-note muted small" role="note">Counts of the newest'
            f' {escape(intcomma(sample))} only. <a href="{escape(count_all_url)}"'
            ' rel="nofollow">Count all</a></p>\n'
        )
    for facet in facets:
        if not facet.values:
            continue
        parts.append(
            f'\n  <section class="facet">\n    <h3>{escape(facet.title)}</h3>\n    <ul>\n    '
        )
        for item in facet.values:
            selected, remove = SELECTED if item.selected else ("", "")
            parts.append(
                f'\n      <li{selected}><a href="{escape(item.url)}"{remove}>'
                f'<span class="facet-label">{escape(item.label)}</span>'
                f'<span class="facet-count">{escape(item.count)}</span></a></li>\n    '
            )
        parts.append("\n    </ul>\n  </section>\n")
    parts.append("\n</aside>")
    return "".join(parts)


def sort_order(
    request: HttpRequest, sorts: Mapping[str, Sequence[str]], default: str
) -> tuple[str, Sequence[str]]:
    """Return the chosen sort key (the default if unknown) and its ORM ordering."""
    key = request.GET.get("sort", default)
    if key not in sorts:
        key = default
    return key, sorts[key]


class CappedPaginator(Paginator):  # type: ignore[type-arg]  # not subscriptable at run time
    """A paginator that counts no further than COUNT_CAP rows: past that, "more than 10,000".

    Counting every match of a search over a million exchanges would cost more than the page.
    """

    cap_label = f"{COUNT_CAP:,}"
    exact = False  # set when the caller gives the count it knows

    @cached_property
    def count(self) -> int:
        """Return the number of rows, or COUNT_CAP + 1 when there are more than COUNT_CAP."""
        rows: QuerySet[Any] = self.object_list  # type: ignore[assignment]
        return rows.order_by()[: COUNT_CAP + 1].count()

    @property
    def capped(self) -> bool:
        """Tell whether there are more rows than were counted."""
        return not self.exact and self.count > COUNT_CAP


class OpenPaginator(CappedPaginator):
    """Pages of a list known only to have more than `at_least` rows: none is counted.

    Each page reads one row past its end, so that it knows whether a next page exists; the
    pages offered reach as far as the rows seen so far (and at least `at_least` rows).
    """

    def __init__(
        self, object_list: QuerySet[Any, Any] | Sequence[Any], per_page: int, at_least: int
    ) -> None:
        super().__init__(object_list, per_page)
        self.at_least = at_least
        self.cap_label = f"{at_least:,}"

    @cached_property
    def count(self) -> int:
        """Return how many rows are known to exist (set by page)."""
        return self.at_least + 1

    @property
    def capped(self) -> bool:
        """Tell whether there are more rows than were counted: always."""
        return True

    def validate_number(self, number: Any) -> int:
        """Return the page number as an int, any positive one (the end is not known)."""
        try:
            value = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger("not a page number") from None
        if value < 1:
            raise EmptyPage("pages start at 1")
        return value

    def get_page(self, number: Any) -> Page[Any]:
        """Return the page, or the first one if the number is not one; past the end, the last."""
        try:
            number = self.validate_number(number)
        except (PageNotAnInteger, EmptyPage):
            number = 1
        return self.page(number)

    def page(self, number: Any) -> Page[Any]:
        """Return one page, reading one row more to learn whether another follows."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            # Past the end: count the rows (up to COUNT_CAP) to show the last page instead.
            last = CappedPaginator(self.object_list, self.per_page)
            self.__dict__["count"] = max(last.count, self.at_least + 1)
            number = min(number, last.num_pages)
            bottom = (number - 1) * self.per_page
            rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        self.__dict__["count"] = max(self.at_least + 1, bottom + len(rows))
        self.__dict__.pop("num_pages", None)
        return Page(rows[: self.per_page], number, self)


@overload
def paginate(
    request: HttpRequest,
    queryset: QuerySet[M],
    per_page: int = ...,
    count: int | None = ...,
    at_least: int | None = ...,
) -> Page[M]: ...


@overload
def paginate(
    request: HttpRequest,
    queryset: QuerySet[Any, Any] | Sequence[Any],
    per_page: int = ...,
    count: int | None = ...,
    at_least: int | None = ...,
) -> Page[Any]: ...


def paginate(
    request: HttpRequest,
    queryset: QuerySet[Any, Any] | Sequence[Any],
    per_page: int = PER_PAGE,
    count: int | None = None,
    at_least: int | None = None,
) -> Page[Any]:
    """Return the requested page (the last one if past the end, the first if not a number).

    Give count when it is known already, to spare the counting query; give at_least instead
    when only a bound is known: the rows are then not counted at all. A list of rows needs
    one of the two, and the first page when it is at_least.
    """
    if count is None and at_least is not None:
        return OpenPaginator(queryset, per_page, at_least).get_page(request.GET.get("page"))
    paginator = CappedPaginator(queryset, per_page)
    if count is not None:
        paginator.__dict__["count"] = count  # what cached_property would have stored
        paginator.exact = True
    return paginator.get_page(request.GET.get("page"))


def page_links(request: HttpRequest, page: Page[Any]) -> dict[str, Any]:
    """Return the links of a pagination bar."""
    paginator = page.paginator
    numbers = paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    return {
        "page": page,
        "previous_url": url_with(request, page=page.previous_page_number())
        if page.has_previous()
        else "",
        "next_url": url_with(request, page=page.next_page_number()) if page.has_next() else "",
        "numbers": [(n, url_with(request, page=n) if isinstance(n, int) else "") for n in numbers],
    }


class _Echo:
    """A file-like object whose write returns what it is given, for streaming csv.writer."""

    def write(self, value: str) -> str:
        return value


def _csv_lines(columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    writer = csv.DictWriter(_Echo(), fieldnames=list(columns), extrasaction="ignore")
    yield writer.writeheader()
    for row in rows:
        yield writer.writerow(row)


def _json_lines(rows: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    yield "["
    for number, row in enumerate(rows):
        yield ("," if number else "") + "\n" + json.dumps(row, cls=DjangoJSONEncoder)
    yield "\n]\n"


def wants_download(request: HttpRequest) -> str:
    """Return 'csv', 'json' or 'parquet' when the request asks for a download, else ''."""
    fmt = request.GET.get("format", "")
    return fmt if fmt in ("csv", "json", "parquet") else ""


def download(
    fmt: str,
    name: str,
    columns: Sequence[str],
    queryset: QuerySet[M],
    to_row: Callable[[M], Mapping[str, Any]],
) -> HttpResponseBase:
    """Stream every row of a filtered list as CSV or as a JSON array, or send it as Parquet."""
    rows = (to_row(obj) for obj in queryset.iterator(chunk_size=DOWNLOAD_CHUNK))
    if fmt == "parquet":
        return parquet_response(name, columns, rows)
    if fmt == "csv":
        response = StreamingHttpResponse(_csv_lines(columns, rows), content_type="text/csv")
    else:
        response = StreamingHttpResponse(_json_lines(rows), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _next_sort(column: str, sort: str, keys: set[str]) -> str:
    """Return the sort a column's heading leads to: reversed when it is the current one."""
    if sort == column and f"-{column}" in keys:
        return f"-{column}"
    return column if column in keys else f"-{column}"


def list_context(
    request: HttpRequest,
    page: Page[Any],
    facets: list[Facet],
    sort: str = "",
    sorts: Iterable[str] = (),
    downloads: bool = True,
) -> dict[str, Any]:
    """Return what the shared list templates need (no download links when downloads is False)."""
    keys = set(sorts)
    columns = {key.lstrip("-") for key in keys}
    return {
        "q": request.GET.get("q", ""),
        "facets": facets,
        "active": [f for f in facets if f.selected_label],
        "hidden": [
            (name, value)
            for name, value in request.GET.items()
            if name not in ("q", "page", "format") and value
        ],
        "sort": sort,
        "sort_urls": {
            column: url_with(request, sort=_next_sort(column, sort, keys)) for column in columns
        },
        "csv_url": url_with(request, format="csv", page=None) if downloads else "",
        "json_url": url_with(request, format="json", page=None) if downloads else "",
        "parquet_url": url_with(request, format="parquet", page=None) if downloads else "",
        "clear_url": "?",
        **page_links(request, page),
    }
