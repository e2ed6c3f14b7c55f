"""The ledger's models, one file per noun."""

from liaison.ledger.models.actor import Actor, ActorName, ActorStatus, ExternalId
from liaison.ledger.models.country import Country, CountryGroup, GroupMembership
from liaison.ledger.models.exchange import Attendance, Exchange, Participation
from liaison.ledger.models.history import ActorMerge, AuditEntry, ImportBatch, ImportChange
from liaison.ledger.models.mechanism import Mechanism, MechanismEdition
from liaison.ledger.models.person import Person, Position
from liaison.ledger.models.source import Claim, Evidence, QuarantinedInput, Source
from liaison.ledger.models.unit import Membership, Unit

__all__ = [
    "Actor",
    "ActorMerge",
    "ActorName",
    "ActorStatus",
    "Attendance",
    "AuditEntry",
    "Claim",
    "Country",
    "CountryGroup",
    "Evidence",
    "Exchange",
    "ExternalId",
    "GroupMembership",
    "ImportBatch",
    "ImportChange",
    "Mechanism",
    "MechanismEdition",
    "Membership",
    "Participation",
    "Person",
    "Position",
    "QuarantinedInput",
    "Source",
    "Unit",
]
