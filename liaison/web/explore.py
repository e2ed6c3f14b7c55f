"""The filters the network, the map and the timeline share: period, region, type and channel."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest

from liaison.domain.enums import ReviewStatus
from liaison.ledger.models import Country, Exchange, Participation
from liaison.web.access import visible_exchanges
from liaison.web.kept import kept, scope_of
from liaison.web.listing import choice_labels

T = TypeVar("T")

PARAMS = ("start", "end", "region", "type", "channel")


@dataclass(frozen=True)
class Filters:
    """What the request asks for; empty strings and None mean no filter."""

    start: int | None
    end: int | None
    region: str
    type: str
    channel: str

    @property
    def active(self) -> bool:
        """Tell whether any filter is set."""
        return any(
            (self.start is not None, self.end is not None, self.region, self.type, self.channel)
        )

    def query(self) -> str:
        """Return the filters as a query string (without '?'), for links and downloads."""
        pairs = [
            ("start", "" if self.start is None else str(self.start)),
            ("end", "" if self.end is None else str(self.end)),
            ("region", self.region),
            ("type", self.type),
            ("channel", self.channel),
        ]
        return urlencode([(name, value) for name, value in pairs if value])


def _year(value: str) -> int | None:
    """Read a year from a form field; anything else means no bound."""
    value = value.strip()
    return int(value) if value.isdigit() and 1 <= int(value) <= 9999 else None


def read_filters(request: HttpRequest) -> Filters:
    """Read the filters from the query string; unknown types and channels are ignored."""
    kind = request.GET.get("type", "").strip()
    channel = request.GET.get("channel", "").strip()
    return Filters(
        start=_year(request.GET.get("start", "")),
        end=_year(request.GET.get("end", "")),
        region=request.GET.get("region", "").strip(),
        type=kind if kind in choice_labels(Exchange, "type") else "",
        channel=channel if channel in choice_labels(Exchange, "channel") else "",
    )


def filtered_exchanges(request: HttpRequest, filters: Filters) -> QuerySet[Exchange]:
    """Return the exchanges the user may see that match the filters (rejected ones left out).

    The region keeps the exchanges with at least one counterpart from a country of that region,
    so the network shows a region's counterparts together with their partners elsewhere.
    """
    exchanges = visible_exchanges(request.user).exclude(review_status=ReviewStatus.REJECTED)
    if filters.start is not None:
        exchanges = exchanges.filter(date__year__gte=filters.start)
    if filters.end is not None:
        exchanges = exchanges.filter(date__year__lte=filters.end)
    if filters.type:
        exchanges = exchanges.filter(type=filters.type)
    if filters.channel:
        exchanges = exchanges.filter(channel=filters.channel)
    if filters.region:
        from_region = Participation.objects.filter(
            exchange=OuterRef("pk"), actor__country__region=filters.region
        )
        exchanges = exchanges.filter(Exists(from_region))
    return exchanges


def kept_for(
    request: HttpRequest, name: str, filters: Filters, compute: Callable[[], T], extra: str = ""
) -> T:
    """Keep what a view computed from the ledger until it changes, per reader's scope and filters.

    The filters go into the key hashed, so that free text in them cannot make it too long.
    """
    digest = hashlib.sha256(f"{filters.query()}|{extra}".encode()).hexdigest()[:24]
    return kept(f"{name}:{scope_of(request.user)}:{digest}", compute)


def filter_form(filters: Filters) -> dict[str, Any]:
    """Return what the shared filter form shows: the chosen values and the choices."""
    regions = (
        Country.objects.exclude(region="")
        .order_by("region")
        .values_list("region", flat=True)
        .distinct()
    )
    return {
        "filters": filters,
        "regions": list(regions),
        "types": sorted(choice_labels(Exchange, "type").items()),
        "channels": sorted(choice_labels(Exchange, "channel").items()),
        "filter_query": filters.query(),
    }
