"""Insert many plain rows fast, without model instances: the ledger, band keys, imports.

``bulk_create`` builds a model instance and converts every value in Python; psycopg's
``executemany`` costs a round trip a row on PostgreSQL (about 0.1 ms: a minute for a
million rows). So rows go in with ``COPY … FROM STDIN`` on PostgreSQL and with batched
``executemany`` on SQLite, where a statement runs in-process and costs microseconds.
Values must already be what the column stores (ints, strings, Decimals, aware datetimes).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import islice

from django.db import connection

__all__ = ["insert_plain_rows"]

BATCH = 5000


def insert_plain_rows(table: str, columns: Sequence[str], rows: Iterable[tuple]) -> int:
    """Insert ``rows`` into ``table`` (``columns`` in order); return how many went in."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    if connection.vendor == "postgresql":
        return _copy(f"COPY {quote(table)} ({names}) FROM STDIN", rows)
    sql = f"INSERT INTO {quote(table)} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
    count = 0
    values = iter(rows)
    with connection.cursor() as cursor:
        while chunk := list(islice(values, BATCH)):
            cursor.executemany(sql, chunk)
            count += len(chunk)
    return count


def _copy(sql: str, rows: Iterable[tuple]) -> int:
    count = 0
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count
