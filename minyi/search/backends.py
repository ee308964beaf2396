"""Full-text search of reports on SQLite (FTS5, bm25) and PostgreSQL (tsvector, ts_rank).

The backend is chosen by ``connection.vendor``; each one only knows how to turn a
parsed query into its match expression and its ranked SQL. Access rules are part of
that SQL: the candidate ids are a subquery built from ``visible_reports(user)``, so a
report the user may not read never leaves the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict

from django.db import connection, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.safestring import SafeString

from minyi.core import clock
from minyi.reports.access import visible_reports
from minyi.reports.models import Category, Report
from minyi.search.models import ReportDocument
from minyi.search.terms import ParsedQuery, document_terms, highlight, parse_query, snippet

if TYPE_CHECKING:
    from minyi.people.models import Organization, User

BATCH_SIZE = 500


class Filters(TypedDict, total=False):
    state: str
    unit: Organization | None
    category: Category | None
    urgency: str
    date_from: dt.date | None
    date_to: dt.date | None


@dataclass
class Hit:
    report: Report
    title_html: SafeString
    snippet_html: SafeString
    score: float


class SqliteBackend:
    """FTS5 table ``search_fts(report_id UNINDEXED, title, body)``, rowid = report id."""

    def match(self, query: ParsedQuery) -> str:
        # Every word is double-quoted (terms hold only letters and digits), so FTS5
        # operators typed by users are plain text here; a trailing * makes a prefix.
        parts = [f'"{t}"*' for t in query.terms]
        parts += [f'"{" ".join(p)}"*' for p in query.phrases]
        return " ".join(parts)

    def ranked_sql(self, where_ids: str) -> str:
        # Title words weigh ten times body words; bm25 is lower for better matches.
        return (
            "SELECT rowid, bm25(search_fts, 0.0, 10.0, 1.0) AS score FROM search_fts "
            f"WHERE search_fts MATCH %s AND rowid IN ({where_ids}) "
            "ORDER BY score ASC, rowid DESC LIMIT %s OFFSET %s"
        )

    def count_sql(self, where_ids: str) -> str:
        return (
            f"SELECT count(*) FROM search_fts WHERE search_fts MATCH %s AND rowid IN ({where_ids})"
        )

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts")


class PostgresBackend:
    """Generated ``vector`` column (title weight A, body B) with a GIN index."""

    def match(self, query: ParsedQuery) -> str:
        parts = [f"'{t}':*" for t in query.terms]
        parts += [" <-> ".join(f"'{w}'" for w in p) + ":*" for p in query.phrases]
        return " & ".join(parts)

    def ranked_sql(self, where_ids: str) -> str:
        return (
            "SELECT d.report_id, ts_rank(d.vector, q) AS score "
            "FROM search_reportdocument d, to_tsquery('simple', %s) q "
            f"WHERE d.vector @@ q AND d.report_id IN ({where_ids}) "
            "ORDER BY score DESC, d.report_id DESC LIMIT %s OFFSET %s"
        )

    def count_sql(self, where_ids: str) -> str:
        return (
            "SELECT count(*) FROM search_reportdocument d, to_tsquery('simple', %s) q "
            f"WHERE d.vector @@ q AND d.report_id IN ({where_ids})"
        )

    def clear(self) -> None:
        """Nothing beyond the documents themselves: the vector lives in their rows."""


BACKENDS: dict[str, type[SqliteBackend | PostgresBackend]] = {
    "sqlite": SqliteBackend,
    "postgresql": PostgresBackend,
}


def get_backend() -> SqliteBackend | PostgresBackend:
    try:
        return BACKENDS[connection.vendor]()
    except KeyError:
        raise NotImplementedError(f"全文检索不支持数据库 {connection.vendor}") from None


def document_for(report: Report) -> ReportDocument:
    body = "\n".join(t for t in (report.situation, report.analysis, report.suggestions) if t)
    return ReportDocument(
        report=report,
        title_terms=document_terms(report.title),
        body_terms=document_terms(body),
        indexed_at=clock.now(),
    )


def index_report(report: Report) -> None:
    """(Re)index one report; call it inside the transaction that changed its text."""
    doc = document_for(report)
    ReportDocument.objects.update_or_create(
        report=report,
        defaults={
            "title_terms": doc.title_terms,
            "body_terms": doc.body_terms,
            "indexed_at": doc.indexed_at,
        },
    )


def _candidates(user: User, filters: Filters | None) -> tuple[str, tuple[Any, ...]]:
    """SQL (and params) of the ids of reports the user may see that pass the filters."""
    qs = visible_reports(user)
    f = filters or {}
    if f.get("state"):
        qs = qs.filter(state=f["state"])
    if f.get("unit"):
        qs = qs.filter(submitting_unit=f["unit"])
    if f.get("category"):
        qs = qs.filter(Q(category=f["category"]) | Q(category__parent=f["category"]))
    if f.get("urgency"):
        qs = qs.filter(urgency=f["urgency"])
    if f.get("date_from") or f.get("date_to"):
        # Drafts have no submission time yet; their creation date stands in.
        qs = qs.annotate(search_day=Coalesce("submitted_at", "created_at"))
        if f.get("date_from"):
            qs = qs.filter(search_day__date__gte=f["date_from"])
        if f.get("date_to"):
            qs = qs.filter(search_day__date__lte=f["date_to"])
    return qs.order_by().values("pk").query.sql_with_params()


def count_reports(user: User, query: str, *, filters: Filters | None = None) -> int:
    """How many reports the user may see match ``query`` and ``filters``."""
    parsed = parse_query(query)
    if not parsed:
        return 0
    backend = get_backend()
    where_ids, params = _candidates(user, filters)
    with connection.cursor() as cursor:
        cursor.execute(backend.count_sql(where_ids), [backend.match(parsed), *params])
        return int(cursor.fetchone()[0])


def search_reports(
    user: User,
    query: str,
    *,
    filters: Filters | None = None,
    limit: int = 20,
    offset: int = 0,
) -> list[Hit]:
    """Return the best matches the user may see, best first, with highlighted text."""
    parsed = parse_query(query)
    if not parsed or limit <= 0:
        return []
    backend = get_backend()
    where_ids, params = _candidates(user, filters)
    with connection.cursor() as cursor:
        cursor.execute(
            backend.ranked_sql(where_ids), [backend.match(parsed), *params, limit, offset]
        )
        ranked = cursor.fetchall()
    # The ids already passed the access subquery; visible_reports again is a cheap
    # second lock on the door, and loads unit and category in the same query.
    reports = visible_reports(user).select_related("submitting_unit", "category")
    by_id = reports.in_bulk([pk for pk, _ in ranked])
    return [_hit(by_id[pk], parsed, score) for pk, score in ranked if pk in by_id]


def _hit(report: Report, parsed: ParsedQuery, score: float) -> Hit:
    words = parsed.words
    body = " ".join(t for t in (report.situation, report.analysis, report.suggestions) if t)
    return Hit(report, highlight(report.title, words), snippet(body, words), float(score))


def _batches() -> Iterator[list[Report]]:
    batch: list[Report] = []
    for report in Report.objects.order_by("pk").iterator(chunk_size=BATCH_SIZE):
        batch.append(report)
        if len(batch) == BATCH_SIZE:
            yield batch
            batch = []
    if batch:
        yield batch


def rebuild_index(progress: Callable[[int, int], None] | None = None) -> int:
    """Index every report from scratch; report ``(done, total)`` after each batch."""
    total = Report.objects.count()
    with transaction.atomic():
        ReportDocument.objects.all().delete()
        get_backend().clear()
    done = 0
    for batch in _batches():
        with transaction.atomic():
            ReportDocument.objects.bulk_create([document_for(r) for r in batch])
        done += len(batch)
        if progress:
            progress(done, total)
    return done
