"""Historical reports import: XLSX/CSV with a column mapping, or one DOCX per report.

Every imported row is an archive (历史, ``exchange.archive``): it keeps its own date, year
and state and may bring its outcomes; it never becomes live work (triage, deadlines).

The dry run (``build_plan``) checks every row and lists why a row cannot be
imported; the apply step writes the good rows in chunks through ``archive``
(each chunk all or nothing, progress saved after each). A row whose title,
报送单位 and 报送日期 match a report already stored is skipped as 已导入过,
so importing the same file twice adds nothing the second time.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import IO, TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from minyi.audit import consumers
from minyi.audit.models import Event, record
from minyi.core import clock
from minyi.core.dbstats import analyze
from minyi.exchange import archive
from minyi.exchange.models import ImportJob, ImportKind, ImportProgress, ImportStatus
from minyi.exchange.outcome_columns import (
    parse_date,
    recipients_by_name,
    resolve_outcome,
    resolve_state,
)
from minyi.exchange.tables import ImportFileError, check_container, write_xlsx
from minyi.people.models import Member, Organization
from minyi.reports.models import Category, Report, ReportAuthor, Urgency

if TYPE_CHECKING:
    from minyi.people.models import User

#: (key, label, header names that suggest this column), in the order shown.
FIELDS: list[tuple[str, str, tuple[str, ...]]] = [
    ("title", "标题", ("标题", "题目", "信息标题")),
    ("situation", "情况", ("情况", "基本情况", "问题", "内容", "正文")),
    ("analysis", "原因分析", ("原因分析", "原因", "分析")),
    ("suggestions", "意见建议", ("意见建议", "建议", "对策建议", "意见和建议")),
    ("authors", "反映人", ("反映人", "作者", "报送人", "提供人")),
    ("unit", "报送单位", ("报送单位", "单位", "来源单位")),
    ("date", "报送日期", ("报送日期", "日期", "报送时间", "时间")),
    ("category", "类别", ("类别", "分类", "类型")),
    ("urgency", "紧急程度", ("紧急程度", "紧急")),
    ("state", "状态", ("状态", "办理结果", "处理结果")),
    ("recipient", "采用单位", ("采用单位", "采用机关", "报送对象")),
    ("adoption_kind", "采用类型", ("采用类型", "采用方式")),
    ("carrier", "采用载体", ("采用载体", "载体", "采用刊物")),
    ("adopted_on", "采用日期", ("采用日期",)),
    ("instruction_level", "批示级别", ("批示级别", "批示层级")),
    ("leader", "批示领导", ("批示领导",)),
    ("instruction_text", "批示内容", ("批示内容",)),
    ("instructed_on", "批示日期", ("批示日期",)),
]
FIELD_LABELS = {key: label for key, label, _ in FIELDS}
URGENCIES = {label: value for value, label in Urgency.choices}
# Split names on separators outside brackets: 网民甲（编号1，2019年）stays one name.
NAME_SEPARATORS = re.compile(r"[、，,；;\s]+(?![^（(]*[)）])")
CHUNK = 500


#: The template's example rows: one adopted with a 批示, one declined.
TEMPLATE_ROWS = [
    {
        "title": "关于加快老旧小区加装电梯的建议",
        "situation": "部分老旧小区加装电梯推进缓慢……",
        "analysis": "资金分摊难以协商一致……",
        "suggestions": "建议出台分摊指导意见……",
        "authors": "张三",
        "unit": "民革市委会",
        "date": "2019-05-06",
        "category": "城建",
        "urgency": "常规",
        "state": "已采用",
        "recipient": "省政协",
        "adoption_kind": "单篇采用",
        "carrier": "省政协《社情民意》第 12 期",
        "adopted_on": "2019-05-20",
        "instruction_level": "省级",
        "leader": "李四",
        "instruction_text": "请住建厅研究。",
        "instructed_on": "2019-06-01",
    },
    {
        "title": "关于规范校外培训机构收费的建议",
        "situation": "……",
        "suggestions": "……",
        "authors": "王五",
        "unit": "民盟市委会",
        "date": "2019-07-01",
        "state": "不予采用",
    },
]


def import_template() -> bytes:
    """The XLSX an office fills in: every column the import reads, in order, with examples."""
    headers = [label for _, label, _ in FIELDS]
    rows = [[row.get(key, "") for key, _, _ in FIELDS] for row in TEMPLATE_ROWS]
    return write_xlsx("历史信息", headers, rows)


def guess_mapping(headers: list[str]) -> dict[str, int | None]:
    """Each field's column: exact header names first, for every field, then one that contains it.

    Exact names go first across all fields, so “采用类型” is the adoption kind's column and
    never the category's by containing “类型”.
    """
    clean = [h.strip() for h in headers]
    mapping: dict[str, int | None] = {}
    for key, _, names in FIELDS:
        taken = set(mapping.values())
        mapping[key] = next((i for i, h in enumerate(clean) if h in names and i not in taken), None)
    exact = {i for i in mapping.values() if i is not None}
    for key, _, names in FIELDS:
        if mapping[key] is None:
            taken = set(mapping.values()) | exact
            loose = (i for i, h in enumerate(clean) if any(n in h for n in names))
            mapping[key] = next((i for i in loose if i not in taken), None)
    return mapping


class Lookups:
    """Units, categories and member names, loaded once per plan."""

    def __init__(self) -> None:
        self.units: dict[str, int] = {}
        for org in Organization.objects.all():
            self.units.setdefault(org.name, org.pk)
            if org.short_name:
                self.units.setdefault(org.short_name, org.pk)
        self.categories: dict[str, int] = {}
        for cat in Category.objects.select_related("parent"):
            self.categories.setdefault(str(cat), cat.pk)
            self.categories.setdefault(cat.name, cat.pk)
        names = Member.objects.filter(active=True).values_list("name", "pk")
        count = Counter(name for name, _ in names)
        # A name two members share cannot be credited safely: it stays informant text.
        self.members = {name: pk for name, pk in names if count[name] == 1}
        self.recipients = recipients_by_name()
        self.stored: set[tuple[str, int | None, str]] = set()
        self.stored_undated: set[tuple[str, int | None]] = set()

    def load_stored(self, titles: set[str]) -> None:
        """Remember (title, unit, day) of stored reports with these titles: the idempotency key."""
        ordered = sorted(titles)
        for start in range(0, len(ordered), 500):
            rows = Report.objects.filter(title__in=ordered[start : start + 500]).values_list(
                "title", "submitting_unit_id", "submitted_at"
            )
            for title, unit_id, when in rows:
                day = timezone.localtime(when).date().isoformat() if when else ""
                self.stored.add((title, unit_id, day))
                self.stored_undated.add((title, unit_id))

    def already_stored(self, title: str, unit_id: int | None, day: str | None) -> bool:
        if day:
            return (title, unit_id, day) in self.stored
        return (title, unit_id) in self.stored_undated


def _text_problems(values: dict[str, str]) -> list[str]:
    problems = []
    if not values["title"]:
        problems.append("缺少标题")
    elif len(values["title"]) > 200:
        problems.append("标题超过 200 字")
    if not values["situation"]:
        problems.append("缺少“情况”")
    if not values["suggestions"]:
        problems.append("缺少“意见建议”")
    body = sum(len(values[k]) for k in ("situation", "analysis", "suggestions"))
    if body > settings.REPORT_MAX_CHARS:
        problems.append(f"正文 {body} 字，超过 {settings.REPORT_MAX_CHARS} 字上限")
    return problems


def _choice(text: str, known: dict[str, Any], label: str, problems: list[str]) -> Any:
    """The id (or value) a cell names, None when empty; an unknown name is a problem."""
    if not text:
        return None
    if text not in known:
        problems.append(f"未知{label}“{text}”")
    return known.get(text)


def _people(values: dict[str, str], lookups: Lookups, options: dict[str, Any]) -> dict[str, Any]:
    """Members credited by name (when the name is unique) and the rest as informant text."""
    text = values["authors"] or options.get("informant", "")
    names = [n for n in NAME_SEPARATORS.split(text) if n]
    author_ids = [lookups.members[n] for n in names if n in lookups.members]
    informant = "、".join(n for n in names if n not in lookups.members)
    return {"author_ids": list(dict.fromkeys(author_ids)), "informant": informant}


def _resolve(values: dict[str, str], lookups: Lookups, options: dict[str, Any]) -> dict[str, Any]:
    """Turn one row's texts into ids; collect every problem instead of stopping at the first."""
    problems = _text_problems(values)
    unit_id = _choice(values["unit"], lookups.units, "报送单位", problems)
    if not values["unit"]:
        unit_id = options.get("unit_id")
        if unit_id is None:
            problems.append("缺少报送单位")
    category_id = _choice(values["category"], lookups.categories, "类别", problems)
    urgency = _choice(values["urgency"], URGENCIES, "紧急程度", problems) or Urgency.ROUTINE
    date = None
    if values["date"]:
        try:
            day = parse_date(values["date"])
        except ValueError:
            problems.append(f"“报送日期”列：“{values['date']}”无法识别")
        else:
            date = day.isoformat()
            if day > clock.localdate():
                problems.append(f"“报送日期”列：{date} 晚于今天")
    else:
        # The serial and the year's points come from the row's own date.
        problems.append("“报送日期”列：缺少报送日期（历史信息按其日期编号和计分）")
    state = resolve_state(values["state"], options.get("state", ""), problems)
    outcome = resolve_outcome(values, date, state, problems, lookups.recipients)
    people = _people(values, lookups, options)
    if not people["author_ids"] and not people["informant"]:
        problems.append("缺少反映人")
    elif len(people["informant"]) > 200:
        problems.append("非委员反映人超过 200 字")
    return {
        "unit_id": unit_id,
        "category_id": category_id,
        "urgency": str(urgency),
        "date": date,
        "state": state,
        "outcome": outcome,
        **people,
        "problems": problems,
    }


def build_plan(job: ImportJob) -> list[dict[str, Any]]:
    """One entry per data row: the texts, resolved ids and any reasons it cannot be imported."""
    lookups = Lookups()
    rows = []
    for line, row in enumerate(job.rows, start=2):
        values = {
            key: (row[col].strip() if (col := job.mapping.get(key)) is not None else "")
            for key in FIELD_LABELS
        }
        if any(values.values()):
            rows.append((line, values))
    lookups.load_stored({values["title"] for _, values in rows})
    seen: dict[tuple[str, int | None, str | None], int] = {}
    plan = []
    for line, values in rows:
        entry = {"line": line, "values": values, **_resolve(values, lookups, job.options)}
        key = (values["title"], entry["unit_id"], entry["date"])
        if not entry["problems"]:
            if lookups.already_stored(*key):
                entry["problems"].append("已导入过（系统中已有标题、报送单位和日期相同的信息）")
            elif key in seen:
                entry["problems"].append(f"与第 {seen[key]} 行重复")
            seen.setdefault(key, line)
        plan.append(entry)
    return plan


def new_job(user: User, filename: str, headers: list[str], rows: list[list[str]]) -> ImportJob:
    if not rows:
        raise ImportFileError("文件中只有表头，没有数据行。")
    return ImportJob.objects.create(
        kind=ImportKind.REPORTS,
        created_by=user,
        filename=filename[:200],
        headers=headers,
        rows=rows,
        mapping=guess_mapping(headers),
    )


def set_plan(job: ImportJob, mapping: dict[str, int | None], options: dict[str, Any]) -> None:
    job.mapping, job.options = mapping, options
    job.plan = build_plan(job)
    job.total, job.done = len(job.plan), 0
    job.save(update_fields=["mapping", "options", "plan", "total", "done"])


def _apply_chunks(
    job: ImportJob, good: list[dict[str, Any]], imported: list[int], *, skipped: int, **who: Any
) -> None:
    """Import ``good`` in chunks, adding ids to ``imported`` so a failure can count them."""
    progress, _ = ImportProgress.objects.get_or_create(job=job)
    # The consumers (search index, points) run once for the whole file, not per chunk.
    with consumers.held():
        for start in range(0, len(good), CHUNK):
            with transaction.atomic():
                chunk = good[start : start + CHUNK]
                imported += archive.create_historical(chunk, job_id=job.pk, **who)
                # In the chunk's transaction, so the bar never counts rows that roll back.
                progress.done = skipped + len(imported)
                progress.save(update_fields=["done"])


def apply_job(job: ImportJob, user: User) -> dict[str, Any]:
    """Import every planned row that has no problem, saving progress after each chunk.

    Each chunk is one transaction, so the progress bar can show committed work; if a
    chunk fails the job is marked failed and the rows before it stay (importing the
    file again skips them as 已导入过).
    """
    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.PLANNED).update(
        status=ImportStatus.RUNNING, done=0
    )
    if not claimed:  # Another request is running it, or it already ran.
        job.refresh_from_db()
        return job.result
    good = [e for e in job.plan if not e["problems"]]
    failed = [
        {"line": e["line"], "reason": "；".join(e["problems"])} for e in job.plan if e["problems"]
    ]
    imported: list[int] = []
    try:
        _apply_chunks(job, good, imported, skipped=len(failed), user=user)
    except Exception:
        job.status, job.done = ImportStatus.FAILED, len(failed) + len(imported)
        job.result = {"imported": len(imported), "failed": failed, "error": True}
        job.save(update_fields=["status", "done", "result"])
        raise
    if len(imported) >= CHUNK:
        # A historical archive changes the reports' statistics: let the planner see it.
        analyze([Report, ReportAuthor, Event])
    job.result = {"imported": len(imported), "failed": failed, "report_ids": imported[:1000]}
    job.status, job.done = ImportStatus.APPLIED, job.total
    job.save(update_fields=["result", "status", "done"])
    payload = {"file": job.filename, "imported": len(imported), "failed": len(failed)}
    record("import_reports", job, actor=user, payload=payload)
    return job.result


# --- DOCX: one report per file -------------------------------------------------

SECTION_HEADINGS = {
    "situation": ("情况", "基本情况", "问题", "存在问题", "主要问题", "情况和问题"),
    "analysis": ("原因", "原因分析", "问题分析", "成因分析"),
    "suggestions": ("建议", "意见建议", "对策建议", "意见和建议", "几点建议"),
}
META_LINES = {
    "反映人": "authors",
    "报送单位": "unit",
    "报送日期": "date",
    "类别": "category",
    "紧急程度": "urgency",
    "状态": "state",
}
ENUMERATOR = re.compile(r"^[（(]?[一二三四五六七八九十\d]+[)）、.．]\s*")


def _section_of(text: str) -> tuple[str | None, str]:
    """If a paragraph opens a section, its key and any text after the heading."""
    bare = ENUMERATOR.sub("", text.strip()).replace(":", "：")
    head, sep, rest = bare.partition("：")
    for key, names in SECTION_HEADINGS.items():
        if head.strip() in names:
            return key, rest.strip() if sep else ""
    return None, text


def _is_heading(paragraph: Any) -> bool:
    name = (paragraph.style.name if paragraph.style is not None else "").lower()
    return name.startswith(("heading", "title", "标题"))


def read_docx(file: IO[bytes]) -> dict[str, str]:
    """Title from the first heading (or first paragraph); sections by their usual headings."""
    from docx import Document  # python-docx is heavy; only this path needs it

    check_container(file)
    try:
        paragraphs = [p for p in Document(file).paragraphs if p.text.strip()]
    except Exception:  # python-docx raises many kinds on a broken zip or XML
        raise ImportFileError(
            "无法读取 Word 文件：请上传 .docx 格式（Word 2007 及以上）。"
        ) from None
    if not paragraphs:
        raise ImportFileError("Word 文件是空的。")
    headings = [p for p in paragraphs if _is_heading(p)]
    title_para = headings[0] if headings else paragraphs[0]
    values = dict.fromkeys(FIELD_LABELS, "")
    values["title"] = title_para.text.strip()
    parts: dict[str, list[str]] = {"situation": [], "analysis": [], "suggestions": []}
    current = "situation"
    for para in paragraphs:
        if para is title_para:
            continue
        text = para.text.strip()
        label, _, rest = text.replace(":", "：").partition("：")
        if label in META_LINES and rest:
            values[META_LINES[label]] = rest.strip()
            continue
        key, rest = _section_of(text)
        if key:
            current = key
            text = rest
        if text:
            parts[current].append(text)
    values.update({k: "\n".join(v) for k, v in parts.items()})
    return values


def docx_job(user: User, files: list[Any]) -> ImportJob:
    """Each uploaded file becomes one row, already in field order, so no mapping is needed."""
    headers = [label for _, label, _ in FIELDS]
    rows = []
    for f in files:
        try:
            values = read_docx(f)
        except ImportFileError as exc:
            raise ImportFileError(f"{f.name}：{exc}") from None
        rows.append([values[key] for key in FIELD_LABELS])
    return new_job(user, "、".join(f.name for f in files), headers, rows)
