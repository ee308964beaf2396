"""Keep the search documents in step with the reports: a consumer of the event log.

A report's words change when it is created (drafted, imported, composed) and
when its text is edited; each such event re-indexes the report, in batches, with
the same bulk path the rebuild uses. Idempotent: a document is replaced whole,
so indexing an event twice leaves the same row.

A big batch means a bulk write is being caught up (a historical import, a scale load):
the batch then leaves the index ready to query, as ``rebuild_index`` does — GIN pending
lists merged, and the table analysed once a tenth of it has changed
(``core.dbstats.refresh_if_stale``; PostgreSQL only, FTS5 has nothing pending).
"""

from __future__ import annotations

from minyi.audit.consumers import register
from minyi.audit.models import Event
from minyi.audit.verbs import Verb
from minyi.core.dbstats import flush_gin_pending, refresh_if_stale
from minyi.reports.models import Report
from minyi.search.backends import documents_for, save_documents
from minyi.search.models import ReportDocument

#: The verbs after which a report's title or text is not what its document holds.
TEXT_VERBS = frozenset({Verb.CREATE, Verb.EDIT})
#: Documents written in one batch from which it counts as a bulk write.
BULK_BATCH = 500


@register("search_index", label="全文检索索引", verbs=TEXT_VERBS, batch_size=1000)
def index_events(events: list[Event]) -> None:
    report_ids = {event.report_id for event in events if event.report_id}
    reports = list(Report.objects.filter(pk__in=report_ids).order_by("pk"))
    ReportDocument.objects.filter(report_id__in=report_ids).delete()
    save_documents(documents_for(reports))
    if len(reports) >= BULK_BATCH:
        flush_gin_pending([ReportDocument._meta.db_table])
        refresh_if_stale([ReportDocument])
