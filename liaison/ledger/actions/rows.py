"""Bulk inserts for the bulk actions: the rows bulk_create writes, without its SQL compiler.

A bulk ingest spent about a third of its writing time in Django building insert statements
value by value; these build one statement per model and chunk size and reuse it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper

M = TypeVar("M", bound=models.Model)


def _connection() -> BaseDatabaseWrapper:
    """Return the connection itself: through django.db.connection, each use of it (several per
    value converted) is a lookup of the thread's connection."""
    return connections[DEFAULT_DB_ALIAS]


def _values(rows: list[M]) -> tuple[list[models.Field[Any, Any]], list[list[Any]]]:
    """Return the columns to write and each row's values, as bulk_create would write them."""
    connection = _connection()
    meta = rows[0]._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    values = []
    for row in rows:
        # Take the ids of related rows saved after this one was built, as bulk_create does.
        row._prepare_related_fields_for_save(operation_name="bulk_create")  # type: ignore[attr-defined]
        values.append([f.get_db_prep_save(f.pre_save(row, True), connection) for f in fields])
    return fields, values


def _insert_into(connection: BaseDatabaseWrapper, meta: Any, fields: list[Any]) -> str:
    """Return "INSERT INTO table (columns)" for these fields."""
    quote = connection.ops.quote_name
    return f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)})"


def _marks(fields: list[Any]) -> str:
    return ", ".join(["%s"] * len(fields))


def insert_rows(rows: Iterable[M]) -> list[M]:
    """Insert new rows of one model, give each its id, and return them in the order given."""
    rows = list(rows)
    if not rows:
        return rows
    fields, values = _values(rows)
    connection = _connection()
    meta = rows[0]._meta
    head = _insert_into(connection, meta, fields)
    one = "(" + _marks(fields) + ")"
    size = max(1, connection.ops.bulk_batch_size(fields, rows))
    returning = f" RETURNING {connection.ops.quote_name(meta.pk.column)}" if meta.pk else ""
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            chunk = values[start : start + size]
            params = [value for row in chunk for value in row]
            # Both databases return the new ids in the order of the VALUES (bulk_create relies
            # on it too).
            cursor.execute(head + " VALUES " + ", ".join([one] * len(chunk)) + returning, params)
            for row, (pk,) in zip(rows[start : start + size], cursor.fetchall(), strict=True):
                row.pk = pk
                row._state.adding = False
                row._state.db = connection.alias
    return rows


def insert_rows_without_ids(rows: Iterable[M]) -> None:
    """Insert new rows whose ids nobody reads back, with one statement run per row."""
    rows = list(rows)
    if not rows:
        return
    fields, values = _values(rows)
    connection = _connection()
    sql = _insert_into(connection, rows[0]._meta, fields) + " VALUES (" + _marks(fields) + ")"
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)
