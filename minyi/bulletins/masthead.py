"""版头 and 版记 of GB/T 9704-2012 for bulletins and single reports: the facts, then the drawing.

The facts (``Masthead``, ``Imprint``) are plain data read once from an issue or a
report, so the rules (which 密级 an issue carries, when 签发人 is printed) are
testable without opening a document; ``draw_masthead`` / ``draw_imprint`` lay
them out with the faces and sizes of ``gbt9704``.

Where the standard puts them:
- 份号 (6 digits), 密级★保密期限, 紧急程度: flush left above the red name, 三号黑体.
- 发文机关标志: the series name in red 小标宋.
- 发文字号 (``2026年第3期（总第57期）``): centred; in a 上行文 flush left with
  ``签发人：`` flush right on the same line (names in 楷体).
- 版记: 主送, 抄送, then 印发机关 and 印发日期 on one line, between rules; 份数 below.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.shared import Emu, Pt

from minyi.bulletins.gbt9704 import (
    FANGSONG,
    HEITI,
    KAITI,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    PAGE_WIDTH,
    RED,
    SIZE_MASTHEAD,
    SIZE_SANHAO,
    SIZE_SIHAO,
    XIAOBIAOSONG,
    add_border,
    add_paragraph,
    add_run,
    chinese_date,
    off_grid,
)
from minyi.bulletins.models import CopyKind
from minyi.outcomes.models import RecipientLevel
from minyi.reports.models import Confidentiality, Urgency

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

    from minyi.bulletins.models import Issue
    from minyi.reports.models import Report

TEXT_WIDTH = Emu(PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT)
#: 紧急程度 as GB/T 9704 words it: 特报 is 特急, 急报 is 加急; routine prints nothing.
URGENCY_WORDS = {Urgency.SPECIAL: "特急", Urgency.URGENT: "加急"}
#: Order of 密级 and urgency: an issue carries the highest of its items.
MARKING_RANK = {"": 0, Confidentiality.INTERNAL: 1, Confidentiality.SECRET: 2}
URGENCY_RANK = {Urgency.ROUTINE: 0, Urgency.URGENT: 1, Urgency.SPECIAL: 2}
#: Recipients above the office: an issue sent to one of them is a 上行文 and names its 签发人.
UPWARD_LEVELS = {RecipientLevel.NATIONAL, RecipientLevel.PROVINCIAL, RecipientLevel.MUNICIPAL}


@dataclass(frozen=True)
class Masthead:
    series: str
    number: str
    cumulative: str = ""
    publisher: str = ""
    date: str = ""
    copy_number: int | None = None
    marking: str = ""
    urgency: str = ""
    signers: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Imprint:
    main: list[str]
    copy: list[str]
    publisher: str
    date: str
    copies: int = 0


# --- Facts --------------------------------------------------------------------


def marking_of(reports: list[Report]) -> str:
    """ "秘密★2027年6月30日", "内部", or "": the highest 密级 among the reports.

    The 保密期限 printed is the latest among the reports of that level: the
    document stays marked as long as its longest-kept item.
    """
    level = max((r.confidentiality for r in reports), key=MARKING_RANK.get, default="")
    if not level:
        return ""
    dates = [r.confidential_until for r in reports if r.confidentiality == level]
    until = max((d for d in dates if d is not None), default=None)
    label = Confidentiality(level).label
    return f"{label}★{chinese_date(until)}" if until else label


def urgency_of(reports: list[Report]) -> str:
    level = max((r.urgency for r in reports), key=lambda u: URGENCY_RANK.get(u, 0), default="")
    return URGENCY_WORDS.get(level, "")


def publisher_of(issue: Issue) -> str:
    return issue.bulletin.publisher or f"{settings.HOST_NAME}研究室"


def issue_date(issue: Issue) -> str:
    if issue.signed_off_at is None:
        return "（尚未签发）"
    return chinese_date(timezone.localdate(issue.signed_off_at))


def is_upward(issue: Issue) -> bool:
    """上行文: addressed (主送) to a body above the office, not only to departments."""
    return any(
        ir.kind == CopyKind.MAIN and ir.recipient.level in UPWARD_LEVELS
        for ir in issue.issue_recipients.all()
    )


def issue_masthead(issue: Issue, reports: list[Report], copy_number: int | None) -> Masthead:
    signers = issue.signer_names() if is_upward(issue) else []
    number = issue.number_label if issue.number is not None else "（待编号）"
    return Masthead(
        series=issue.bulletin.name,
        number=number,
        cumulative=issue.cumulative_label,
        publisher=publisher_of(issue),
        date=issue_date(issue),
        copy_number=copy_number,
        marking=marking_of(reports),
        urgency=urgency_of(reports),
        signers=signers,
    )


def report_masthead(report: Report) -> Masthead:
    """A single report reads like a 快报 item: the same 版头, numbered by its serial."""
    day = report.submitted_at or report.created_at
    return Masthead(
        series=f"{settings.HOST_NAME}社情民意信息",
        number=f"编号：{report.serial}" if report.serial else "（未编号）",
        publisher=f"{settings.HOST_NAME}研究室",
        date=chinese_date(timezone.localdate(day)) if isinstance(day, dt.datetime) else "",
        marking=marking_of([report]),
        urgency=urgency_of([report]),
    )


def issue_imprint(issue: Issue) -> Imprint:
    recipients = list(issue.issue_recipients.all())
    date = issue_date(issue)
    return Imprint(
        main=[ir.recipient.name for ir in recipients if ir.kind == CopyKind.MAIN],
        copy=[ir.recipient.name for ir in recipients if ir.kind == CopyKind.COPY],
        publisher=publisher_of(issue),
        date=f"{date}印发" if issue.signed_off_at else date,
        copies=issue.copies.count(),
    )


# --- Drawing ------------------------------------------------------------------


def draw_masthead(doc: DocxDocument, m: Masthead) -> None:
    """份号/密级/紧急程度 at the left, the red name, the number, publisher and date, red rule."""
    corner = [f"{m.copy_number:06d}" if m.copy_number else "", m.marking, m.urgency]
    for text in (line for line in corner if line):
        add_paragraph(doc, text, HEITI, SIZE_SANHAO)
    name = add_paragraph(doc, m.series, XIAOBIAOSONG, masthead_size(m.series), color=RED)
    name.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # The masthead is taller than the 28.95 pt grid; let it take the room it needs.
    name.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    name.paragraph_format.space_after = Pt(12)
    off_grid(name)
    number = m.number + (f"（{m.cumulative}）" if m.cumulative else "")
    _number_line(doc, number, m.signers)
    imprint = add_paragraph(doc, f"{m.publisher}编", FANGSONG, SIZE_SANHAO)
    # Publisher flush left, date flush right, on one line (a right tab at the text edge).
    imprint.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    add_run(imprint, f"\t{m.date}", FANGSONG, SIZE_SANHAO)
    add_border(imprint, "bottom", size=12, color=RED)


def masthead_size(name: str) -> Pt:
    """48 pt, or smaller so a long name stays on one line inside the type area (§7.2.4)."""
    fit = TEXT_WIDTH.pt * 0.92 / max(len(name), 1)
    return Pt(min(SIZE_MASTHEAD.pt, math.floor(fit)))


def _number_line(doc: DocxDocument, number: str, signers: list[str]) -> None:
    if not signers:
        p = add_paragraph(doc, number, FANGSONG, SIZE_SANHAO)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        return
    # 上行文 (GB/T 9704 §7.2.6): 发文字号 one character in from the left, 签发人 on the right.
    p = add_paragraph(doc, number, FANGSONG, SIZE_SANHAO)
    p.paragraph_format.left_indent = SIZE_SANHAO
    p.paragraph_format.right_indent = SIZE_SANHAO
    p.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH - 2 * SIZE_SANHAO, WD_TAB_ALIGNMENT.RIGHT)
    add_run(p, "\t签发人：", FANGSONG, SIZE_SANHAO)
    add_run(p, "　".join(signers), KAITI, SIZE_SANHAO)


def draw_imprint(doc: DocxDocument, imprint: Imprint) -> None:
    """版记: 主送 and 抄送 between thin rules, then 印发机关 and 印发日期, then 份数."""
    lines = [
        f"{label}：{'，'.join(names)}。"
        for label, names in (("主送", imprint.main), ("抄送", imprint.copy))
        if names
    ]
    add_paragraph(doc, "", FANGSONG, SIZE_SANHAO)  # keep the 版记 clear of the last item
    for index, line in enumerate(lines):
        p = _imprint_line(doc, line)
        if index == 0:
            add_border(p, "top", size=8)  # the first and last rules are thicker (0.35 mm)
        add_border(p, "bottom", size=4)
    last = _imprint_line(doc, imprint.publisher)
    if not lines:
        add_border(last, "top", size=8)
    last.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH - Pt(14), WD_TAB_ALIGNMENT.RIGHT)
    add_run(last, f"\t{imprint.date}", FANGSONG, SIZE_SIHAO)
    add_border(last, "bottom", size=8)
    if imprint.copies:
        count = _imprint_line(doc, f"（共印{imprint.copies}份）")
        count.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _imprint_line(doc: DocxDocument, text: str):  # noqa: ANN202 - a python-docx Paragraph
    p = add_paragraph(doc, text, FANGSONG, SIZE_SIHAO)
    # Same indents on every line, or a rule sticks out past the others.
    p.paragraph_format.left_indent = Pt(14)
    p.paragraph_format.right_indent = Pt(14)
    return p
