"""Near-duplicate and similar reports found by SQL: LSH band keys, then an exact check.

Similarity is defined once, in ``minyi.textlab.minhash``: the Jaccard index of the sets
of character 3-grams of title + body with whitespace removed. Every report's search
document holds the 25 LSH band keys of its 128-permutation MinHash signature as words
(``band_keys``), indexed by a full-text index of their own (see ``search.models``) and
written by the ``search_index`` consumer of the event log (``search.indexing``) once the
text change commits. A lookup is:

1. Shingle the text and compute its signature and band keys (numpy, well under 1 ms).
2. One indexed query: the newest ``MAX_MATCHES`` reports holding any of the keys; keep
   the ``MAX_CANDIDATES`` sharing most keys, so a boiler-plate text cannot make the
   exact check unbounded.
3. Load the candidates' text and keep those whose exact Jaccard reaches the threshold,
   so every result is a true match (precision 1.0); with 25 bands of 5 rows a pair at
   J = 0.7 shares a band with probability 0.99 (recall).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet

from minyi.core.planner import planner_settings
from minyi.reports.models import Report
from minyi.textlab.minhash import (
    DEFAULT_PARAMS,
    band_key_rows,
    band_key_words,
    jaccard,
    shingles,
    signatures,
)

__all__ = [
    "DUPLICATE_THRESHOLD",
    "SIMILAR_THRESHOLD",
    "Similar",
    "band_words",
    "report_text",
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
MAX_MATCHES = 5000
TEXT_FIELDS = ("title", "situation", "analysis", "suggestions")
#: The newest reports holding any of the keys, with their keys. ``report_id + 0`` on
#: PostgreSQL: ordering by the bare key invites a backward primary-key scan that
#: checks every row on the way instead of reading the GIN index.
MATCHES_SQL = {
    "sqlite": (
        "SELECT d.report_id, d.band_keys FROM search_band_fts"
        " JOIN search_reportdocument d ON d.report_id = search_band_fts.rowid"
        " WHERE search_band_fts MATCH %s ORDER BY search_band_fts.rowid DESC LIMIT %s"
    ),
    "postgresql": (
        "SELECT report_id, band_keys FROM search_reportdocument"
        " WHERE band_vector @@ to_tsquery('simple', %s) ORDER BY report_id + 0 DESC LIMIT %s"
    ),
}
MATCH_JOINER = {"sqlite": " OR ", "postgresql": " | "}
#: PostgreSQL settings of the band-key lookup, so that it reads the band-key GIN index
#: whatever the statistics say. The planner cannot know band keys are rare: it guesses
#: 1 row in 10 for an OR of 25 unknown words, starts parallel workers (8 ms of a 10 ms
#: lookup at 1M) and, on a freshly imported table with no statistics, read every row
#: (0.87 s at 100k). With sequential and plain index scans off, the only plan left
#: without a penalty is the bitmap scan of the band-key index (``test_similar_plan``).
LOOKUP_SETTINGS: dict[str, str | int] = {
    "max_parallel_workers_per_gather": 0,
    "enable_seqscan": "off",
    "enable_indexscan": "off",
}


def similarity_text(
    title: str, situation: str = "", analysis: str = "", suggestions: str = ""
) -> str:
    """Return the text whose 3-grams define similarity: title + body (whitespace is dropped)."""
    return "\n".join(t for t in (title, situation, analysis, suggestions) if t)


def report_text(report: Report) -> str:
    return similarity_text(*(getattr(report, name) for name in TEXT_FIELDS))


def band_words(texts: Sequence[str]) -> list[str]:
    """Return each text's band keys as index words, with one vectorised signature pass."""
    return [band_key_words(keys) for keys in band_key_rows(signatures(list(texts)))]


@dataclass(frozen=True)
class Similar:
    report_id: int
    jaccard: float


def lookup_query(words: str) -> tuple[str, list[object]]:
    """The band-key lookup for ``words`` (space-separated keys): SQL and parameters.

    Run it under ``planner_settings(**LOOKUP_SETTINGS)``.
    """
    vendor = connection.vendor
    match = MATCH_JOINER[vendor].join(f'"{w}"' if vendor == "sqlite" else w for w in words.split())
    return MATCHES_SQL[vendor], [match, MAX_MATCHES]


def _candidate_ids(words: str, exclude: set[int]) -> list[int]:
    """Ids of the reports sharing most band keys with ``words``, most shared first."""
    wanted = set(words.split())
    with planner_settings(**LOOKUP_SETTINGS) as cursor:
        cursor.execute(*lookup_query(" ".join(sorted(wanted))))
        rows = cursor.fetchall()
    shared = [(len(wanted.intersection(keys.split())), pk) for pk, keys in rows
              if pk not in exclude]  # fmt: skip
    shared.sort(reverse=True)
    return [pk for _, pk in shared[:MAX_CANDIDATES]]


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
    (the report being edited). Access rules are the caller's: see ``desk.similar_panel``.
    """
    query = shingles(text)
    keys = band_key_rows(signatures([query]), DEFAULT_PARAMS)[0]
    if not keys:
        return []
    ids = _candidate_ids(band_key_words(keys), set(exclude))
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
