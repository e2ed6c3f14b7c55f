"""The only code that writes ledger rows: each verb is a transaction that writes an audit entry.

Views, the CLI, importers, ingest and tests change the ledger only through these verbs.
"""

from liaison.ledger.actions.actors import (
    ActorInput,
    NameInput,
    StatusInput,
    add_actor_name,
    add_actor_status,
    add_external_id,
    add_position,
    create_actor,
    set_actor_review_status,
    update_actor,
)
from liaison.ledger.actions.audit import SYSTEM, Author, audit_in_bulk, snapshot
from liaison.ledger.actions.batches import close_batch, open_batch, undo_batch
from liaison.ledger.actions.exchanges import (
    EvidenceInput,
    ExchangeInput,
    PersonInput,
    SourceInput,
    add_evidence,
    delete_exchange,
    record_claim,
    record_exchange,
    record_source,
    set_exchange_review_status,
    update_exchange,
)
from liaison.ledger.actions.merges import merge_actors, undo_merge
from liaison.ledger.actions.registry import (
    create_unit,
    ensure_unit,
    set_mechanism_organizer,
    upsert_country,
    upsert_edition,
    upsert_group,
    upsert_mechanism,
    upsert_membership,
)
from liaison.ledger.actions.sources import (
    mark_extracted,
    quarantine_input,
    release_input,
    set_claim_review_status,
)
from liaison.ledger.actions.users import create_user

__all__ = [
    "SYSTEM",
    "ActorInput",
    "Author",
    "EvidenceInput",
    "ExchangeInput",
    "NameInput",
    "PersonInput",
    "SourceInput",
    "StatusInput",
    "add_actor_name",
    "add_actor_status",
    "add_evidence",
    "add_external_id",
    "add_position",
    "audit_in_bulk",
    "close_batch",
    "create_actor",
    "create_unit",
    "create_user",
    "delete_exchange",
    "ensure_unit",
    "mark_extracted",
    "merge_actors",
    "open_batch",
    "quarantine_input",
    "record_claim",
    "record_exchange",
    "record_source",
    "release_input",
    "set_actor_review_status",
    "set_claim_review_status",
    "set_exchange_review_status",
    "set_mechanism_organizer",
    "snapshot",
    "undo_batch",
    "undo_merge",
    "update_actor",
    "update_exchange",
    "upsert_country",
    "upsert_edition",
    "upsert_group",
    "upsert_mechanism",
    "upsert_membership",
]
