"""An index of the actors merged into another, for a counterpart's "merged into this record".

Nearly every actor's merged_into is empty, so the statistics of the foreign key's own index say
one value covers every row and SQLite reads the whole table instead; an index of the merged
ones alone is small and tells the planner the truth (PostgreSQL already used the other one).
"""

from __future__ import annotations

from django.db import migrations

UP = (
    "CREATE INDEX ledger_actor_absorbed_idx ON ledger_actor (merged_into_id)"
    " WHERE merged_into_id IS NOT NULL"
)
DOWN = "DROP INDEX IF EXISTS ledger_actor_absorbed_idx"


class Migration(migrations.Migration):
    dependencies = [("ledger", "0007_exchange_search")]

    operations = [migrations.RunSQL(UP, DOWN)]
