"""The review queue: what ingest proposed, and the decisions a person takes on it."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Literal

from django.db import models, transaction

from liaison.domain.dates import PartialDate
from liaison.domain.enums import (
    Channel,
    DatePrecision,
    ExchangeType,
    ParticipantRole,
    ReviewStatus,
    Visibility,
)
from liaison.domain.errors import ErrorCode, LiaisonError
from liaison.ledger import actions
from liaison.ledger.actions import SYSTEM, Author
from liaison.ledger.models import Actor, Claim, Exchange

Kind = Literal["exchange", "actor", "claim"]
Decision = Literal["accept", "reject"]
MODELS: dict[str, type[models.Model]] = {"exchange": Exchange, "actor": Actor, "claim": Claim}
_STATUS = {"accept": ReviewStatus.CONFIRMED, "reject": ReviewStatus.REJECTED}


def queue(
    kind: Kind, status: ReviewStatus = ReviewStatus.PROPOSED
) -> models.QuerySet[models.Model]:
    """Return the records of a kind in a review status, oldest first."""
    rows = MODELS[kind]._default_manager.filter(review_status=status)
    if kind == "actor":
        rows = rows.filter(merged_into=None)
    return rows.order_by("id")


def get(kind: Kind, pk: int) -> models.Model:
    """Return one record of the queue's kinds, or raise a clear error."""
    row = MODELS[kind]._default_manager.filter(pk=pk).first()
    if row is None:
        raise LiaisonError(ErrorCode.NOT_FOUND, f"there is no {kind} {pk}")
    return row


@transaction.atomic
def decide(kind: Kind, pk: int, decision: Decision, author: Author = SYSTEM) -> bool:
    """Accept or reject a record; return whether its status changed."""
    row = get(kind, pk)
    status = _STATUS[decision]
    if isinstance(row, Exchange):
        return actions.set_exchange_review_status(row, status, author)
    if isinstance(row, Actor):
        return actions.set_actor_review_status(row, status, author)
    assert isinstance(row, Claim)
    return actions.set_claim_review_status(row, status, author)


def exchange_input(exchange: Exchange) -> actions.ExchangeInput:
    """Return an exchange as the input that would record it again (the base of a correction)."""
    return actions.ExchangeInput(
        type=ExchangeType(exchange.type),
        date=PartialDate.from_date(exchange.date, DatePrecision(exchange.date_precision)),
        participants=tuple(
            (p.actor, ParticipantRole(p.role)) for p in exchange.participations.all()
        ),
        channel=Channel(exchange.channel),
        end_date=exchange.end_date,
        city=exchange.city,
        country=exchange.country_id,
        mechanism=exchange.mechanism,
        edition=exchange.edition,
        topics=tuple(exchange.topics),
        summary=exchange.summary,
        outcomes=exchange.outcomes,
        unit=exchange.unit,
        visibility=Visibility(exchange.visibility),
        review_status=ReviewStatus(exchange.review_status),
        external_ref=exchange.external_ref,
        people=tuple(
            actions.PersonInput(a.person.name, a.role, a.org) for a in exchange.attendances.all()
        ),
    )


@transaction.atomic
def correct_exchange(
    pk: int, changes: dict[str, Any], author: Author = SYSTEM
) -> actions.ExchangeInput:
    """Change fields of an exchange (type, channel, date, place...) and mark it corrected."""
    exchange = get("exchange", pk)
    assert isinstance(exchange, Exchange)
    unknown = set(changes) - _CORRECTABLE
    if unknown:
        raise LiaisonError(
            ErrorCode.BAD_INPUT,
            f"cannot correct {', '.join(sorted(unknown))}; "
            f"fields: {', '.join(sorted(_CORRECTABLE))}",
        )
    data = replace(exchange_input(exchange), **changes, review_status=ReviewStatus.CORRECTED)
    actions.update_exchange(exchange, data, author)
    return data


_CORRECTABLE = {"type", "channel", "date", "end_date", "city", "country", "summary", "topics"}
