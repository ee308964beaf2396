"""Category suggestions learnt from the office's own labelled history (an optional seam).

The model is ``minyi.textlab.classify`` (TF-IDF + calibrated linear SVM), one file at
``settings.CLASSIFIER_PATH``, saved atomically with a format version. Training data are
the reports whose category the office has settled: past triage (受理 and later), not
drafts. ``train_classifier`` skips when the labelled history is unchanged since the
saved model (same fingerprint). With no model file every function here returns None
and the pages simply leave the suggestion out.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings

from minyi.core import clock
from minyi.reports.models import Category, Report, State
from minyi.search.similar import report_text
from minyi.textlab import classify

if TYPE_CHECKING:
    from minyi.textlab.classify import Model

__all__ = [
    "Candidate",
    "Suggestion",
    "TrainResult",
    "load_classifier",
    "suggest_category",
    "train_classifier",
]

#: States in which the category was chosen or confirmed by an editor.
SETTLED_STATES = (
    State.ACCEPTED,
    State.AWAITING_SIGN_OFF,
    State.SIGNED_OFF,
    State.PUBLISHED,
    State.SENT_DIRECTLY,
    State.DECLINED,
    State.MERGED,
)
#: A category needs this many settled reports to be learnt (calibration needs 2 folds).
MIN_PER_CATEGORY = 3

_cache: dict[str, Any] = {"key": None, "model": None}


@dataclass(frozen=True)
class TrainResult:
    trained: bool
    message: str
    examples: int = 0
    categories: int = 0


@dataclass(frozen=True)
class Candidate:
    """One of the likely categories, with the model's calibrated probability."""

    category: Category
    confidence: float

    @property
    def percent(self) -> int:
        return round(self.confidence * 100)

    @property
    def shown(self) -> str:
        """The percentage shown: "<1", not "0", for a runner-up the model thinks unlikely."""
        return "<1" if self.percent == 0 else str(self.percent)


@dataclass(frozen=True)
class Suggestion:
    """The most likely category, its confidence, the top candidates and whether to trust it.

    ``unsure`` is set below ``classify.UNSURE_BELOW``: the page then names no category
    and asks the editor to judge, because there the model is wrong about as often as right.
    """

    category: Category
    confidence: float
    candidates: tuple[Candidate, ...] = ()
    unsure: bool = False

    @property
    def percent(self) -> int:
        return round(self.confidence * 100)


def _path(path: str | Path | None) -> Path:
    return Path(path or settings.CLASSIFIER_PATH)


def labelled_history() -> tuple[list[str], list[str], str]:
    """Return (texts, category ids, fingerprint) of the settled, categorised reports."""
    settled = Report.objects.filter(state__in=SETTLED_STATES, category__isnull=False)
    rows = list(settled.order_by("pk").values_list("pk", "category_id", "revision_number"))
    counts = Counter(category for _, category, _ in rows)
    keep = [row for row in rows if counts[row[1]] >= MIN_PER_CATEGORY]
    digest = hashlib.sha256(",".join(f"{p}:{c}:{r}" for p, c, r in keep).encode()).hexdigest()
    texts = {
        r.pk: report_text(r)
        for r in Report.objects.filter(pk__in=[p for p, _, _ in keep]).only(
            "title", "situation", "analysis", "suggestions"
        )
    }
    return [texts[p] for p, _, _ in keep], [str(c) for _, c, _ in keep], digest


def train_classifier(path: str | Path | None = None, *, force: bool = False) -> TrainResult:
    """Train on the labelled history and save the model, unless nothing changed."""
    target = _path(path)
    texts, labels, fingerprint = labelled_history()
    categories = len(set(labels))
    if categories < 2:
        return TrainResult(False, "已定类的稿件不足（至少需要两个类别、每类 3 篇），未训练。")
    current = classify.load(target)
    if not force and current is not None and current.meta.get("fingerprint") == fingerprint:
        return TrainResult(False, "已定类的稿件没有变化，跳过训练。", len(texts), categories)
    model = classify.train(texts, labels)
    model.meta = {
        "fingerprint": fingerprint,
        "examples": len(texts),
        "categories": categories,
        "trained_at": clock.now().isoformat(),
    }
    target.parent.mkdir(parents=True, exist_ok=True)
    model.save(target)
    return TrainResult(True, f"已用 {len(texts)} 篇、{categories} 个类别训练并保存模型。",
                       len(texts), categories)  # fmt: skip


def load_classifier(path: str | Path | None = None) -> Model | None:
    """Return the saved model (cached until the file changes), or None when there is none."""
    target = _path(path)
    try:
        stat = target.stat()
    except OSError:
        return None
    key = (str(target), stat.st_mtime_ns, stat.st_size)
    if _cache["key"] != key:
        _cache["key"], _cache["model"] = key, classify.load(target)
    return _cache["model"]


def suggest_category(report: Report, *, top: int = 3) -> Suggestion | None:
    """Return the likely categories of ``report`` (best first), if a model exists."""
    model = load_classifier()
    if model is None:
        return None
    ranked = model.top_k([report_text(report)], k=top)[0]
    found = Category.objects.filter(pk__in=[int(label) for label, _ in ranked])
    by_pk = {str(c.pk): c for c in found.select_related("parent")}
    # A category deleted since training is left out of the candidates.
    candidates = tuple(Candidate(by_pk[lb], round(p, 4)) for lb, p in ranked if lb in by_pk)
    if not candidates or str(candidates[0].category.pk) != ranked[0][0]:
        return None  # the best one was deleted: better no suggestion than the runner-up
    best = candidates[0]
    unsure = best.confidence < classify.UNSURE_BELOW
    return Suggestion(best.category, best.confidence, candidates, unsure)
