"""The record of one scope: its rows loaded once, the figures, and a metric's value at a date."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from functools import cached_property
from typing import Any

from liaison.analytics import figures as f
from liaison.analytics.scope import scope_end
from liaison.domain.enums import ExchangeType
from liaison.ledger import figures_queries as q
from liaison.ledger.figures_queries import ActorFacts, ContactRow, CubeRow, Scope


class Record:
    """The rows of a scope, each loaded on first use, and the metrics computed from them."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self._contacts_at: dict[datetime.date, list[ContactRow]] = {}
        self._values: dict[tuple[str, str, datetime.date], float | None] = {}
        self._days: list[datetime.date] = []
        # Exchange counts, unplaced visits and messages by cut (see `prepare_days`).
        self._cuts: (
            tuple[list[CubeRow], dict[int, dict[str, int]], dict[int, dict[str, int]]] | None
        ) = None

    @cached_property
    def end(self) -> datetime.date:
        """The last day of the period."""
        return scope_end(self.scope)

    @cached_property
    def facts(self) -> dict[int, ActorFacts]:
        """Every live actor's facts."""
        return q.actor_facts()

    @property
    def cube(self) -> list[CubeRow]:
        """Exchange counts by year, type, channel, mechanism, unit, place and cut."""
        return self._cut_rows()[0]

    @cached_property
    def contacts(self) -> list[ContactRow]:
        """Every counterpart's first and last contact, and its exchanges in the period."""
        return self._contacts_and_years[0]

    @cached_property
    def counterparts_per_year(self) -> list[tuple[int, int]]:
        """The number of counterparts in contact in each year of the period."""
        return self._contacts_and_years[1]

    @cached_property
    def _contacts_and_years(self) -> tuple[list[ContactRow], list[tuple[int, int]]]:
        return q.contacts_and_years(self.scope)

    @cached_property
    def figures(self) -> f.Figures:
        """The headline figures."""
        rows = f.FigureRows(
            cube=self.cube,
            contacts=self.contacts,
            facts=self.facts,
            groups=q.group_members(self.end),
            mechanisms=q.mechanism_names(),
            units=q.unit_names(),
            unplaced_visits=dict(self._directions(ExchangeType.VISIT)),
            correspondence=dict(self._directions(ExchangeType.CORRESPONDENCE)),
            briefing_people=q.briefing_people(self.scope),
        )
        return f.compute_figures(rows)

    def contacts_until(self, day: datetime.date) -> list[ContactRow]:
        """Return the contact rows of the period cut at a day."""
        if self.scope.date_to is not None and day >= self.scope.date_to:
            return self.contacts
        if day not in self._contacts_at:
            self._contacts_at[day] = q.contact_rows(self.scope.until(day))
        return self._contacts_at[day]

    def in_contact_until(self, day: datetime.date) -> list[int]:
        """Return the counterparts in contact between the period's start and a day."""
        if self.scope.date_from is None:
            # From the start of the record, in contact by a day means a first contact by then.
            return [row.actor_id for row in self.contacts if row.first <= day]
        return f.in_contact(self.contacts_until(day))

    def prepare_days(self, days: Iterable[datetime.date]) -> None:
        """Name the days metrics will be asked for, so one scan counts up to all of them.

        Call it before the figures are computed: the same scans then serve both.
        """
        wanted = sorted(set(self._days) | set(days))
        if wanted != self._days:
            self._days = wanted
            self._cuts = None

    def _cut_rows(
        self,
    ) -> tuple[list[CubeRow], dict[int, dict[str, int]], dict[int, dict[str, int]]]:
        """Exchange counts, unplaced visits and messages by cut, for the days named so far."""
        if self._cuts is None:
            days = self._days
            self._cuts = (
                q.exchange_cube(self.scope, days),
                q.role_directions_by_cut(self.scope, ExchangeType.VISIT, True, days),
                q.role_directions_by_cut(self.scope, ExchangeType.CORRESPONDENCE, False, days),
            )
        return self._cuts

    def _upto(self, day: datetime.date) -> tuple[list[CubeRow], int]:
        """Return the exchange counts by cut, and the last cut up to `day`."""
        self.prepare_days([day])
        return self._cut_rows()[0], self._days.index(day)

    def _directions(self, type_: ExchangeType, last: int | None = None) -> Counter[str]:
        """Sum the sent / received / unknown counts of visits or messages, up to a cut."""
        rows = self._cut_rows()
        by_cut = rows[1] if type_ is ExchangeType.VISIT else rows[2]
        total: Counter[str] = Counter(dict.fromkeys(q.DIRECTIONS, 0))
        for cut, counts in by_cut.items():
            if last is None or cut <= last:
                total.update(counts)
        return total

    def _directions_upto(self, type_: ExchangeType, day: datetime.date) -> Counter[str]:
        """Sum the sent / received / unknown counts of a type up to a day."""
        return self._directions(type_, self._upto(day)[1])

    def value(self, metric: str, params: dict[str, Any], day: datetime.date) -> float | None:
        """Return a metric's value from the period's start to a day; None if no exchange then."""
        key = (metric, repr(sorted(params.items())), day)
        if key not in self._values:
            self._values[key] = self._value(metric, params, day)
        return self._values[key]

    def _value(self, metric: str, params: dict[str, Any], day: datetime.date) -> float | None:
        cuts, last = self._upto(day)
        rows = [row for row in cuts if row.cut <= last]
        if not any(row.count for row in rows):
            return None
        if metric in ("counterparts", "countries_reached", "developing_share"):
            ids = self._placed(self.in_contact_until(day), params, day)
            development = params.get("development", "")
            if metric == "counterparts":
                return f.count_counterparts(ids, self.facts, params.get("kinds", ()), development)
            if metric == "countries_reached":
                return len(f.countries_of(ids, self.facts, development))
            return f.developing_share(ids, self.facts)[2]
        if metric.startswith("briefing_audience"):
            if metric == "briefing_audience_people":
                return q.briefing_people(self.scope.until(day))
            briefed = [row.actor_id for row in self.contacts_until(day) if row.briefings]
            if metric == "briefing_audience_counterparts":
                return len(briefed)
            return len(f.countries_of(briefed, self.facts))
        return self._exchange_value(metric, params, rows, day)

    def _placed(self, ids: list[int], params: dict[str, Any], day: datetime.date) -> list[int]:
        """Keep the counterparts of a region, or of a country group's members on a day."""
        if "region" in params:
            return [
                pk for pk in ids if pk in self.facts and self.facts[pk].region == params["region"]
            ]
        if "group" in params:
            members = q.group_members(day).get(params["group"], ("", frozenset()))[1]
            return [pk for pk in ids if pk in self.facts and self.facts[pk].country in members]
        return ids

    def _exchange_value(
        self, metric: str, params: dict[str, Any], rows: list[CubeRow], day: datetime.date
    ) -> float:
        if metric == "exchanges":
            types, channels = params.get("types", ()), params.get("channels", ())
            return sum(
                row.count
                for row in rows
                if (not types or row.type in types) and (not channels or row.channel in channels)
            )
        if metric == "briefings":
            return sum(row.count for row in rows if row.type == ExchangeType.BRIEFING)
        if metric == "mechanisms_used":
            return len({row.mechanism_id for row in rows if row.mechanism_id})
        if metric.startswith("delegations"):
            visits = [row for row in rows if row.type == ExchangeType.VISIT]
            unplaced = self._directions_upto(ExchangeType.VISIT, day)
            if metric == "delegations_sent":
                return sum(r.count for r in visits if r.place == "abroad") + unplaced["sent"]
            return sum(r.count for r in visits if r.place == "home") + unplaced["received"]
        if metric.startswith("messages"):
            directions = self._directions_upto(ExchangeType.CORRESPONDENCE, day)
            return directions["sent" if metric == "messages_sent" else "received"]
        raise ValueError(f"{metric!r} is not a metric a claim can be checked against")
