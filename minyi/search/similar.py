"""Near-duplicate and similar reports found by SQL: LSH band keys, then an exact check.

Similarity is defined once, in ``minyi.textlab.minhash``: the Jaccard index of the sets
of character 3-grams of title + body with whitespace removed. Every report keeps 25
``ReportBand`` rows (the LSH band keys of its 128-permutation MinHash signature), written
by ``index_report`` in the same transaction as its text. A lookup is:

1. Shingle the text and compute its signature and band keys (numpy, well under 1 ms).
2. One indexed query: reports sharing any band key, most shared bands first, capped at
   ``MAX_CANDIDATES`` so a boiler-plate text cannot make the exact check unbounded.
3. Load the candidates' text and keep those whose exact Jaccard reaches the threshold,
   so every result is a true match (precision 1.0); with 25 bands of 5 rows a pair at
   J = 0.7 shares a band with probability 0.99 (recall).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from minyi.core.rows import insert_plain_rows
from minyi.reports.models import Report
from minyi.search.models import ReportBand
from minyi.textlab.minhash import DEFAULT_PARAMS, band_key_rows, jaccard, shingles, signatures

__all__ = [
    "DUPLICATE_THRESHOLD",
    "SIMILAR_THRESHOLD",
    "Similar",
    "bands_for",
    "index_bands",
    "report_text",
    "save_bands",
    "similar_reports",
    "similarity_text",
]

#: The near-duplicate definition used in triage ("疑似重复").
DUPLICATE_THRESHOLD = 0.7
#: Looser, for the drafting panel ("相似信息"): a draft is often shorter than the earlier
#: report, which lowers its Jaccard; LSH still finds about half the pairs at 0.5 and
#: every pair shown has passed the exact check.
SIMILAR_THRESHOLD = 0.5
MAX_CANDIDATES = 500
TEXT_FIELDS = ("title", "situation", "analysis", "suggestions")


def similarity_text(
    title: str, situation: str = "", analysis: str = "", suggestions: str = ""
) -> str:
    """Return the text whose 3-grams define similarity: title + body (whitespace is dropped)."""
    return "\n".join(t for t in (title, situation, analysis, suggestions) if t)


def report_text(report: Report) -> str:
    return similarity_text(*(getattr(report, name) for name in TEXT_FIELDS))


def bands_for(report_ids: Sequence[int], texts: Sequence[str]) -> list[ReportBand]:
    """Return unsaved band rows for many reports with one vectorised signature pass."""
    rows = band_key_rows(signatures(list(texts)), DEFAULT_PARAMS)
    return [
        ReportBand(report_id=pk, band=band, key=key)
        for pk, keys in zip(report_ids, rows, strict=True)
        for band, key in enumerate(keys)
    ]


def save_bands(report_ids: Sequence[int], texts: Sequence[str]) -> None:
    """Insert band rows for many new reports as plain rows (rebuilds, imports).

    No model instances (25 per report) and COPY on PostgreSQL: an import of 10,000
    reports writes 250,000 band rows.
    """
    rows = band_key_rows(signatures(list(texts)), DEFAULT_PARAMS)
    params = ((pk, band, key) for pk, keys in zip(report_ids, rows, strict=True)
              for band, key in enumerate(keys))  # fmt: skip
    insert_plain_rows(ReportBand._meta.db_table, ["report_id", "band", "key"], params)


def index_bands(report: Report) -> None:
    """Replace one report's band rows; call it inside the transaction that saved its text."""
    ReportBand.objects.filter(report_id=report.pk).delete()
    ReportBand.objects.bulk_create(bands_for([report.pk], [report_text(report)]))


@dataclass(frozen=True)
class Similar:
    report_id: int
    jaccard: float


def _candidate_ids(keys: list[int], exclude: set[int]) -> list[int]:
    rows = (
        ReportBand.objects.filter(key__in=keys)
        .exclude(report_id__in=exclude)
        .values("report_id")
        .annotate(shared=Count("id"))
        .order_by("-shared", "-report_id")[:MAX_CANDIDATES]
    )
    return [row["report_id"] for row in rows]


def similar_reports(
    text: str,
    *,
    exclude: Iterable[int] = (),
    threshold: float = DUPLICATE_THRESHOLD,
    among: QuerySet[Report] | None = None,
    limit: int = 20,
) -> list[Similar]:
    """Return reports whose exact 3-gram Jaccard with ``text`` is >= ``threshold``, best first.

    ``among`` narrows the reports considered (e.g. no drafts); ``exclude`` drops ids
    (the report being edited). Access rules are the caller's: see ``reports.similar``.
    """
    query = shingles(text)
    keys = band_key_rows(signatures([query]), DEFAULT_PARAMS)[0]
    if not keys:
        return []
    ids = _candidate_ids(keys, set(exclude))
    if not ids:
        return []
    reports = (among if among is not None else Report.objects.all()).filter(pk__in=ids)
    found = []
    for pk, *fields in reports.values_list("pk", *TEXT_FIELDS):
        score = jaccard(query, shingles(similarity_text(*fields)))
        if score >= threshold:
            found.append(Similar(pk, round(score, 4)))
    found.sort(key=lambda s: (-s.jaccard, -s.report_id))
    return found[:limit]
