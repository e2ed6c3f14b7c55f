"""The catalogue of metrics: each name, with its one-line definition (docs/metrics.md has more)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Metric:
    """A named figure the ledger produces."""

    name: str
    title: str
    definition: str
    claimable: bool = False  # whether a claim may be checked against it


METRICS: dict[str, Metric] = {
    m.name: m
    for m in (
        Metric(
            "counterparts",
            "Counterparts in contact",
            "Distinct non-home actors taking part in at least one counted exchange in the period;"
            " with `kinds`, only those kinds (a party organ counts as its party).",
            claimable=True,
        ),
        Metric("counterparts_by_kind", "Counterparts by kind", "Counterparts in contact, by kind."),
        Metric(
            "countries_reached",
            "Countries reached",
            "Distinct countries of the counterparts in contact (optionally only developing ones).",
            claimable=True,
        ),
        Metric(
            "developing_share",
            "Share from developing countries",
            "Counterparts from developing countries over counterparts whose country has a known"
            " development status, in percent.",
            claimable=True,
        ),
        Metric(
            "counterparts_by_region",
            "Counterparts by region",
            "Counterparts in contact by the UN M49 region of their country.",
        ),
        Metric(
            "counterparts_by_group",
            "Counterparts by country group",
            "Counterparts and countries reached among the members of each group at period end.",
        ),
        Metric(
            "exchanges",
            "Exchanges",
            "Counted exchanges in the period; with `types` or `channels`, only those.",
            claimable=True,
        ),
        Metric("exchanges_by_type", "Exchanges by type", "Counted exchanges by type."),
        Metric("exchanges_by_channel", "Exchanges by channel", "Counted exchanges by channel."),
        Metric(
            "exchanges_by_mechanism",
            "Exchanges by mechanism",
            "Counted exchanges by dialogue mechanism (those held outside any mechanism apart).",
        ),
        Metric(
            "exchanges_by_unit",
            "Exchanges by unit",
            "Counted exchanges by the unit recording them.",
        ),
        Metric(
            "mechanisms_used",
            "Mechanisms used",
            "Distinct dialogue mechanisms with at least one counted exchange.",
            claimable=True,
        ),
        Metric(
            "delegations_sent",
            "Delegations sent",
            "Visits held outside the home country (or, unplaced, with a home actor as guest).",
            claimable=True,
        ),
        Metric(
            "delegations_received",
            "Delegations received",
            "Visits held in the home country (or, unplaced, with a home actor as host).",
            claimable=True,
        ),
        Metric("briefings", "Briefings held", "Counted exchanges of type briefing.", True),
        Metric(
            "briefing_audience_counterparts",
            "Briefing audience: counterparts",
            "Distinct counterparts taking part in at least one briefing.",
            claimable=True,
        ),
        Metric(
            "briefing_audience_countries",
            "Briefing audience: countries",
            "Distinct countries of the counterparts taking part in briefings.",
            claimable=True,
        ),
        Metric(
            "briefing_audience_people",
            "Briefing audience: people",
            "Distinct people recorded at briefings, other than those of home actors.",
            claimable=True,
        ),
        Metric(
            "messages_sent",
            "Messages sent",
            "Correspondence with a home actor as sender (or a counterpart as recipient).",
            claimable=True,
        ),
        Metric(
            "messages_received",
            "Messages received",
            "Correspondence with a home actor as recipient (or a counterpart as sender).",
            claimable=True,
        ),
        Metric(
            "first_last_contact",
            "First and last contact",
            "For each counterpart, the first and last day of an exchange, up to period end.",
        ),
        Metric(
            "dormant_counterparts",
            "Dormant counterparts",
            "Counterparts met before but not in the N years up to period end.",
        ),
        Metric(
            "countries_without_contact",
            "Countries with no contact",
            "Sovereign countries other than home with no counterpart in contact in the period.",
        ),
        Metric(
            "growth",
            "Growth year on year",
            "Per year: exchanges, counterparts, new counterparts, and the change on the year"
            " before.",
        ),
    )
}
