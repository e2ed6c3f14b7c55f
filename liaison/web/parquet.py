"""Parquet downloads: a filtered list as one Parquet file, its column types kept (pyarrow).

Rows are written a batch at a time into a temporary file, so a list of a million exchanges
never sits in memory whole; the file is sent once written (Parquet ends with its index).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import islice
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq
from django.http import FileResponse

CONTENT_TYPE = "application/vnd.apache.parquet"
BATCH = 10_000


def _plain(value: Any) -> Any:
    """Keep what Parquet stores as it is; lists and mappings become JSON text."""
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, default=str)
    return value


def _batches(
    columns: Sequence[str], rows: Iterable[Mapping[str, Any]]
) -> Iterator[dict[str, list[Any]]]:
    """Cut rows into batches of column lists."""
    iterator = iter(rows)
    while batch := list(islice(iterator, BATCH)):
        yield {column: [_plain(row.get(column)) for row in batch] for column in columns}


def write_parquet(
    target: str | IO[bytes], columns: Sequence[str], rows: Iterable[Mapping[str, Any]]
) -> None:
    """Write rows as Parquet with the given columns, in that order.

    The first batch fixes each column's type; a column empty all through it is text.
    """
    writer: pq.ParquetWriter | None = None
    schema: pa.Schema | None = None
    for values in _batches(columns, rows):
        if schema is None:
            arrays = [pa.array(values[column]) for column in columns]
            fields = [
                pa.field(column, pa.string() if pa.types.is_null(array.type) else array.type)
                for column, array in zip(columns, arrays, strict=True)
            ]
            schema = pa.schema(fields)
            writer = pq.ParquetWriter(target, schema, compression="zstd")
        table = pa.table([pa.array(values[f.name], type=f.type) for f in schema], schema=schema)
        assert writer is not None
        writer.write_table(table)
    if writer is None:  # no rows: still a file, with the columns as text
        schema = pa.schema([pa.field(column, pa.string()) for column in columns])
        pq.write_table(schema.empty_table(), target, compression="zstd")
        return
    writer.close()


def parquet_bytes(columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> bytes:
    """Return rows as the bytes of a Parquet file."""
    sink = pa.BufferOutputStream()
    write_parquet(sink, columns, rows)
    data: bytes = sink.getvalue().to_pybytes()
    return data


def parquet_response(
    name: str, columns: Sequence[str], rows: Iterable[Mapping[str, Any]]
) -> FileResponse:
    """Return rows as a Parquet attachment, written first to a temporary file."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when sent
    write_parquet(spool, columns, rows)
    spool.seek(0)
    return FileResponse(
        spool, as_attachment=True, filename=f"{name}.parquet", content_type=CONTENT_TYPE
    )
