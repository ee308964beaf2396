"""PostgreSQL planner settings for the span of a few queries.

``SET LOCAL`` lasts until the end of the *transaction*, not of a savepoint: inside a
caller's transaction (a view under ATOMIC_REQUESTS, a test) a bare ``SET LOCAL``
would change every later query of the request. ``planner_settings`` sets the values
in a savepoint and sets them back to their defaults when the block ends; if the block
fails, the savepoint's rollback undoes them instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from django.db import connection, transaction

if TYPE_CHECKING:
    from django.db.backends.utils import CursorWrapper

__all__ = ["planner_settings"]


@contextmanager
def planner_settings(**values: str | int) -> Iterator[CursorWrapper]:
    """Yield a cursor whose queries run with ``values`` set (PostgreSQL only; no-op elsewhere)."""
    postgres = connection.vendor == "postgresql"
    with transaction.atomic(), connection.cursor() as cursor:
        if postgres:
            for name, value in values.items():
                cursor.execute(f"SET LOCAL {name} = {value}")
        yield cursor
        if postgres:
            for name in values:
                cursor.execute(f"SET LOCAL {name} = DEFAULT")
