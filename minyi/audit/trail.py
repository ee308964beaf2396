"""What left the platform, on record: document downloads and exports.

Every view that hands a file to a browser (an attachment, an issue or report as
DOCX/PDF, the annual notice, an XLSX export) writes one event through these two
helpers, after it has found the object and before it answers, so a refused or
failed download leaves nothing and a served one is never missing. The client's
address and user agent come from the request (``core.http``), like every event.

The event's object is what was downloaded; an export has no single object, so
its object is the account that exported (the audit page filters by both).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.db import models

from minyi.audit.models import Event, record

#: A filter value longer than this is cut: the event says what was asked, not a novel.
FILTER_VALUE_LIMIT = 200

#: What apps above ``audit`` add to a download's payload, from the object and its report
#: (the 密级 of a marked report, or of the marked reports in an issue): a registry, because
#: ``audit`` may not know what a report is.
DownloadFacts = Callable[[models.Model, "int | None"], dict[str, Any]]
DOWNLOAD_FACTS: list[DownloadFacts] = []


def register_download_facts(facts: DownloadFacts) -> DownloadFacts:
    if facts not in DOWNLOAD_FACTS:
        DOWNLOAD_FACTS.append(facts)
    return facts


def filters_of(query: Mapping[str, Any]) -> dict[str, Any]:
    """The query string of an export as a plain dict (lists only where a key repeats)."""
    getlist = getattr(query, "getlist", None)
    filters: dict[str, Any] = {}
    for key in sorted(query):
        values = getlist(key) if getlist else [query[key]]
        values = [str(v)[:FILTER_VALUE_LIMIT] for v in values if str(v) != ""]
        if values:
            filters[key[:FILTER_VALUE_LIMIT]] = values[0] if len(values) == 1 else values
    return filters


def record_download(
    user: Any,
    obj: models.Model,
    *,
    what: str,
    name: str,
    report_id: int | None = None,
    **extra: Any,
) -> Event:
    """One ``download`` event: the kind of document (``attachment``, ``issue_docx``…), its name."""
    payload = {"what": what, "name": name, **extra}
    for facts in DOWNLOAD_FACTS:
        payload.update(facts(obj, report_id))
    return record("download", obj, actor=user, payload=payload, report_id=report_id)


def record_export(
    user: Any,
    *,
    what: str,
    filters: Mapping[str, Any],
    rows: int,
    obj: models.Model | None = None,
    **extra: Any,
) -> Event:
    """One ``export`` event: which list, the ``filters`` asked for, the ``rows`` written."""
    payload = {"what": what, "filters": dict(filters), "rows": rows, **extra}
    return record("export", obj if obj is not None else user, actor=user, payload=payload)
