"""Measure the writing assistant on labelled drafts: precision and recall per finding code.

A labelled draft is a text file: a header (``id``, ``date`` = the reference "now",
optional ``urgency``, ``expected`` = every code the assistant must raise, empty for a
well-written draft), a line ``---``, then the draft as typed (first line the title).
See tests/data/assistant_drafts/README.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from minyi.textlab.quality import CODES, Draft, check

__all__ = ["CodeScore", "Evaluation", "LabelledDraft", "evaluate", "load_labelled"]


@dataclass(frozen=True)
class LabelledDraft:
    id: str
    today: date
    expected: frozenset[str]
    draft: Draft


def _parse(path: Path) -> LabelledDraft:
    head, sep, text = path.read_text(encoding="utf-8").partition("\n---\n")
    if not sep:
        raise ValueError(f"{path}: no '---' line between header and draft")
    meta = {}
    for line in head.splitlines():
        key, _, value = line.partition(":")
        meta[key.strip()] = value.split("#", 1)[0].strip()
    expected = frozenset(c.strip() for c in meta.get("expected", "").split(",") if c.strip())
    unknown = expected - set(CODES)
    if unknown:
        raise ValueError(f"{path}: unknown codes {sorted(unknown)}")
    draft = replace(Draft.from_text(text), urgency=meta.get("urgency") or None)
    return LabelledDraft(meta["id"], date.fromisoformat(meta["date"]), expected, draft)


def load_labelled(folder: str | Path) -> list[LabelledDraft]:
    """Every ``*.txt`` labelled draft in ``folder``, by file name."""
    return [_parse(p) for p in sorted(Path(folder).glob("*.txt"))]


@dataclass
class CodeScore:
    code: str
    true_pos: int = 0
    false_pos: int = 0
    false_neg: int = 0
    false_pos_ids: list[str] = field(default_factory=list)
    false_neg_ids: list[str] = field(default_factory=list)

    @property
    def support(self) -> int:
        return self.true_pos + self.false_neg

    @property
    def precision(self) -> float:
        raised = self.true_pos + self.false_pos
        return self.true_pos / raised if raised else 1.0

    @property
    def recall(self) -> float:
        return self.true_pos / self.support if self.support else 1.0


@dataclass
class Evaluation:
    scores: dict[str, CodeScore]
    drafts: int
    good_drafts: int
    findings_on_good: int
    good_with_findings: list[str]


def evaluate(drafts: Iterable[LabelledDraft]) -> Evaluation:
    """Run the assistant on each draft at its own date and compare codes with the labels."""
    scores = {code: CodeScore(code) for code in CODES}
    n = good = on_good = 0
    noisy: list[str] = []
    for item in drafts:
        n += 1
        findings = check(item.draft, item.today)
        raised = {f.code for f in findings}
        if not item.expected:
            good += 1
            on_good += len(findings)
            if findings:
                noisy.append(item.id)
        for code in CODES:
            s = scores[code]
            if code in raised and code in item.expected:
                s.true_pos += 1
            elif code in raised:
                s.false_pos += 1
                s.false_pos_ids.append(item.id)
            elif code in item.expected:
                s.false_neg += 1
                s.false_neg_ids.append(item.id)
    return Evaluation(scores, n, good, on_good, noisy)
