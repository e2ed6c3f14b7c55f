"""The vocabularies of the ledger and of the event contract."""

from enum import StrEnum


class ActorKind(StrEnum):
    """What kind of counterpart an actor is."""

    PARTY = "party"
    PARTY_ORGAN = "party_organ"
    GOVERNMENT = "government"
    LEGISLATURE = "legislature"
    ORGANIZATION = "organization"


class OrganizationType(StrEnum):
    """The sub-kind of an organization actor."""

    THINK_TANK = "think_tank"
    NGO = "ngo"
    INTERNATIONAL = "international"
    MEDIA = "media"
    BUSINESS = "business"
    OTHER = "other"


class ExchangeType(StrEnum):
    """What happened in an exchange."""

    MEETING = "meeting"
    VISIT = "visit"
    CONFERENCE = "conference"
    BRIEFING = "briefing"
    CORRESPONDENCE = "correspondence"
    AGREEMENT = "agreement"
    ASSISTANCE = "assistance"
    CALL = "call"


class Channel(StrEnum):
    """How an exchange was held (the event contract calls this `mode`)."""

    IN_PERSON = "in_person"
    VIDEO = "video"
    PHONE = "phone"
    WRITTEN = "written"
    UNKNOWN = "unknown"


class DatePrecision(StrEnum):
    """How much of a date is known."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"


class ParticipantRole(StrEnum):
    """The part an actor played in an exchange."""

    HOST = "host"
    GUEST = "guest"
    ORGANIZER = "organizer"
    DELEGATION_HEAD = "delegation_head"
    SENDER = "sender"
    RECIPIENT = "recipient"
    SIGNATORY = "signatory"
    PARTICIPANT = "participant"


class ReviewStatus(StrEnum):
    """Where a record stands in review: extracted records are proposed until a person decides."""

    PROPOSED = "proposed"
    CONFIRMED = "confirmed"
    CORRECTED = "corrected"
    REJECTED = "rejected"


class Visibility(StrEnum):
    """Who may see a record: internal records are seen by their unit and the units above it."""

    PUBLIC = "public"
    INTERNAL = "internal"


class MechanismScope(StrEnum):
    """The reach of a dialogue mechanism."""

    BILATERAL = "bilateral"
    MULTILATERAL = "multilateral"
    REGIONAL = "regional"
    GLOBAL = "global"


class GovernmentStatus(StrEnum):
    """A party's standing towards government in a period."""

    RULING = "ruling"
    COALITION = "coalition"
    OPPOSITION = "opposition"


class NameType(StrEnum):
    """What a name of an actor is."""

    CANONICAL = "canonical"
    ORIGINAL = "original"
    ABBREVIATION = "abbreviation"
    ALIAS = "alias"
    FORMER = "former"


class UserRole(StrEnum):
    """What a user may do within their unit."""

    ADMIN = "admin"
    EDITOR = "editor"
    VIEWER = "viewer"
