"""Parquet downloads: a filtered list as one Parquet file, its column types kept (pyarrow)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from django.http import HttpResponse

CONTENT_TYPE = "application/vnd.apache.parquet"


def _plain(value: Any) -> Any:
    """Keep what Parquet stores as it is; lists and mappings become JSON text."""
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, default=str)
    return value


def parquet_bytes(columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> bytes:
    """Write rows as a Parquet file with the given columns, in that order."""
    values: dict[str, list[Any]] = {column: [] for column in columns}
    for row in rows:
        for column in columns:
            values[column].append(_plain(row.get(column)))
    table = pa.table({column: pa.array(values[column]) for column in columns})
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression="zstd")
    return buffer.getvalue()


def parquet_response(
    name: str, columns: Sequence[str], rows: Iterable[Mapping[str, Any]]
) -> HttpResponse:
    """Return rows as a Parquet attachment (built whole: the format ends with its index)."""
    response = HttpResponse(parquet_bytes(columns, rows), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.parquet"'
    return response
