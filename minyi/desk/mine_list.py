"""The rows of 我的信息 for its paginator: a page of ids from a ``UNION``, then those reports.

A liaison's reports are four sets joined by OR (written, co-signed, the unit's, the
composites the unit's reports went into). No index gives an OR's order, so the database
read every one of the unit's reports (8,741 at 100,000 reports, text and all) and sorted
them for each page. As a ``UNION`` of ``(created_at, id)`` per set, SQLite merges the sets
in order (``MERGE (UNION)``), the unit's read from the ``(submitting_unit, created_at)``
index, and stops after the page; the page's reports are then fetched by id. PostgreSQL
sorts the narrow keys instead of whole rows. Counting the union reads the same keys.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from minyi.reports.access import own_sets
from minyi.reports.models import Report

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from minyi.people.models import User

#: 我的信息's order, newest first (the keys' columns in the union).
ORDER = ("-created_at", "-pk")


class MyReports:
    """``count()`` and slices, which is all ``Paginator`` asks of an object list."""

    def __init__(self, user: User, state: str = "") -> None:
        if user.is_authenticated and user.is_active:
            parts = [Report.objects.filter(one) for one in own_sets(user)]
        else:  # as ``own_reports``: nobody's list
            parts = [Report.objects.none()]
        if state:
            parts = [part.filter(state=state) for part in parts]
        keys = [part.order_by().values_list("created_at", "pk") for part in parts]
        self.keys: QuerySet = keys[0].union(*keys[1:]) if len(keys) > 1 else keys[0]

    def count(self) -> int:
        return self.keys.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Report]:
        ids = [pk for _, pk in self.keys.order_by(*ORDER)[index]]
        found = Report.objects.filter(pk__in=ids).select_related("submitting_unit").in_bulk()
        return [found[pk] for pk in ids if pk in found]
