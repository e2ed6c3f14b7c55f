"""What every resource of the API shares: references, pages, filters and error bodies."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, Literal, TypeVar

from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Field, Schema
from ninja.responses import NinjaJSONEncoder
from pydantic import ConfigDict

from liaison.web.listing import COUNT_CAP, FacetSpec

M = TypeVar("M", bound=Model)
R = TypeVar("R")  # a row of a list: a model instance or its values

DEFAULT_LIMIT = 50
JSON_TYPE = "application/json; charset=utf-8"
MAX_LIMIT = 500


class Ref(Schema):
    """Another record, by id and name."""

    id: int
    name: str


class Input(Schema):
    """A request body: an unknown field is an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


class NamedInput(Input):
    """A request body whose short texts (names, roles) are trimmed before they are checked."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def refuse_nulls(schema: Schema, names: Sequence[str]) -> None:
    """Refuse a PATCH that sets to null a field that must keep a value (a validation error)."""
    nulled = [n for n in names if n in schema.model_fields_set and getattr(schema, n) is None]
    if nulled:
        raise ValueError(f"{', '.join(nulled)} cannot be null; leave a field out to keep it")


class Error(Schema):
    """Why a request failed."""

    detail: str
    code: str = ""


class Paging(Schema):
    """Which slice of a list to return."""

    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="rows per page")
    offset: int = Field(0, ge=0, description="rows to skip")


class PageBase(Schema):
    """A slice of a list, with the total and the links to the next and previous slices."""

    count: int = Field(
        description=f"rows that match the filters, over all pages, counted up to {COUNT_CAP:,}"
        " (count_capped says when more match)"
    )
    count_capped: bool = Field(
        False, description=f"true when more than {COUNT_CAP:,} rows match: count stopped there"
    )
    limit: int
    offset: int
    next: str | None = Field(description="the URL of the next page, or null")
    previous: str | None = Field(description="the URL of the previous page, or null")


def _url(request: HttpRequest, offset: int) -> str:
    params = request.GET.copy()
    params["offset"] = str(offset)
    return f"{request.path}?{params.urlencode()}"


def page(
    request: HttpRequest,
    rows: QuerySet[Any, R],
    paging: Paging,
    counted: QuerySet[Any, Any] | None = None,
) -> tuple[dict[str, Any], list[R]]:
    """Return the page fields (count, links) and the rows of one slice of an ordered list.

    The count stops at COUNT_CAP: counting every row of a large list would cost more than the
    page. The slice reads one row more, to know whether a next one exists past the count.
    counted, when given, is what to count instead of rows: the same rows without the joins
    that only the page shows.
    """
    count = (rows if counted is None else counted).order_by()[: COUNT_CAP + 1].count()
    capped = count > COUNT_CAP
    items = list(rows[paging.offset : paging.offset + paging.limit + 1])
    more = len(items) > paging.limit
    items = items[: paging.limit]
    after = paging.offset + paging.limit
    fields = {
        "count": min(count, COUNT_CAP),
        "count_capped": capped,
        "limit": paging.limit,
        "offset": paging.offset,
        "next": _url(request, after) if more else None,
        "previous": _url(request, max(paging.offset - paging.limit, 0)) if paging.offset else None,
    }
    return fields, items


def json_response(body: Any) -> HttpResponse:
    """Return a body as the API writes it, without validating it against a schema again."""
    return HttpResponse(json.dumps(body, cls=NinjaJSONEncoder), content_type=JSON_TYPE)


def apply_filters(
    queryset: QuerySet[M], values: Mapping[str, Any], specs: Sequence[FacetSpec]
) -> QuerySet[M]:
    """Filter by every facet that has a value, as the pages do."""
    for spec in specs:
        value = values.get(spec.param)
        if value is not None and value != "":
            queryset = queryset.filter(**{spec.field: value})
    return queryset


ExportFormat = Literal["csv", "json"]

# The export endpoints stream a file, not a JSON page: say so in the OpenAPI description.
EXPORT_DOC: dict[str, Any] = {
    "responses": {
        "200": {
            "description": "every matching row, as CSV or as a JSON array",
            "content": {"text/csv": {}, "application/json": {}},
        }
    }
}
