"""Insert many rows fast: the ledger, search documents, imports.

``bulk_create`` builds a model instance and converts every value in Python; psycopg's
``executemany`` costs a round trip a row on PostgreSQL (about 0.1 ms: a minute for a
million rows). So rows go in with ``COPY … FROM STDIN`` on PostgreSQL and with batched
``executemany`` on SQLite, where a statement runs in-process and costs microseconds.
Values must already be what the column stores (ints, strings, Decimals, aware datetimes).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from itertools import islice
from typing import Any

from django.db import connection, models

__all__ = ["insert_objects", "insert_plain_rows"]

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


def _adapter(field: models.Field) -> Callable[[Any], Any]:
    """The field's own value-to-database conversion, remembered per distinct value.

    Most columns of an import repeat one value (the shared timestamp, the state, the
    user): those are converted once. Strings are passed through the field every time,
    since each text is different and a memo of them would only grow.
    """
    memo: dict[tuple[type, Any], Any] = {}

    def adapt(value: Any) -> Any:
        if isinstance(value, str) or not isinstance(value, Hashable):
            return field.get_db_prep_save(value, connection)
        key = (type(value), value)  # The type too: True == 1, but not as a column value.
        if key not in memo:
            memo[key] = field.get_db_prep_save(value, connection)
        return memo[key]

    return adapt


def insert_objects(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """INSERT unsaved ``objs`` as plain rows: the rows ``bulk_create`` writes.

    Values come from ``pre_save`` (so ``auto_now`` fields are filled) and the field's
    own conversion, as in ``bulk_create``; ``core.rows`` sends them (COPY on
    PostgreSQL). Auto primary keys are left to the database and not set on ``objs``;
    no signals are sent (bulk_create sends none either).
    """
    fields = [f for f in model._meta.concrete_fields if f is not model._meta.auto_field]
    adapters = [_adapter(f) for f in fields]
    rows = (
        tuple(adapt(f.pre_save(obj, True)) for f, adapt in zip(fields, adapters, strict=True))
        for obj in objs
    )
    insert_plain_rows(model._meta.db_table, [f.column for f in fields], rows)
