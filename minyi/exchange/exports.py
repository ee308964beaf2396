"""Exports to XLSX with Chinese headers, always starting from what the user may see."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from minyi.deadlines import register
from minyi.exchange.forms import ExportFilterForm
from minyi.exchange.roster import COLUMNS as ROSTER_COLUMNS
from minyi.exchange.roster import NO, YES
from minyi.exchange.tables import write_xlsx, write_xlsx_to
from minyi.outcomes.forms import RegisterForm
from minyi.outcomes.models import Forwarding
from minyi.people.models import Member, Role
from minyi.reports.access import own_reports, visible_reports
from minyi.reports.confidentiality import marking_label
from minyi.reports.forms import MineFilterForm
from minyi.reports.forms_office import TriageFilterForm
from minyi.reports.models import Category, Report, ReportAuthor, State, Urgency

if TYPE_CHECKING:
    from minyi.people.models import User

# The import's field names come first so an export can be re-imported as history.
REPORT_COLUMNS = [
    "标题",
    "情况",
    "原因分析",
    "意见建议",
    "反映人",
    "报送单位",
    "报送日期",
    "类别",
    "流水号",
    "状态",
    "紧急程度",
    # Last, so the import's columns keep their places; every marked row says so.
    "密级",
]
FORWARDING_COLUMNS = [
    "流水号",
    "稿件标题",
    "报送对象",
    "所在期",
    "报送日期",
    "状态",
    "采用类型",
    "采用载体",
    "采用日期",
    "批示",
    "密级",
]


@dataclass(frozen=True)
class Exported:
    """An export's file and how many rows it holds (the export event records both)."""

    data: bytes
    rows: int
    marked: int = 0


class _Counted:
    """Rows passed through to the workbook, counted on the way (the rows are read once)."""

    def __init__(self, rows: Iterator[list[str]]) -> None:
        self.rows, self.count, self.marked = rows, 0, 0

    def __iter__(self) -> Iterator[list[str]]:
        for row in self.rows:
            self.count += 1
            # The 密级 is the last column of every report list: the event counts marked rows.
            self.marked += bool(row and row[-1])
            yield row


def _exported(title: str, columns: list[str], rows: Iterator[list[str]]) -> Exported:
    counted = _Counted(rows)
    return Exported(write_xlsx(title, columns, counted), counted.count, counted.marked)


def _day(value: Any) -> str:
    return timezone.localtime(value).date().isoformat() if value else ""


def _all_reports(user: User, form: forms.Form) -> QuerySet[Report]:
    """Everything the user may see, narrowed by the generic export filters."""
    data = form.cleaned_data if form.is_bound else {}
    reports = visible_reports(user)
    if data.get("state"):
        reports = reports.filter(state__in=data["state"])
    reports = reports.narrowed(
        unit=data.get("unit"), category=data.get("category"), urgency=data.get("urgency")
    )
    if q := (data.get("q") or "").strip():
        reports = reports.filter(Q(title__icontains=q) | Q(serial=q))
    return reports.order_by("id")


def _mine(user: User, form: forms.Form) -> QuerySet[Report]:
    """The rows of 我的信息, in its order."""
    reports = own_reports(user)
    if form.is_bound and form.cleaned_data["state"]:
        reports = reports.filter(state=form.cleaned_data["state"])
    return reports.order_by("-created_at", "-id")


def _triage(user: User, form: forms.Form) -> QuerySet[Report]:
    """The rows of the office's 稿件处理 queue, through its own filter code."""
    return form.apply(visible_reports(user).triage(), user)


@dataclass(frozen=True)
class ReportList:
    """A list page whose filters an export can repeat: its form, who may use it, its rows."""

    form: type[forms.Form]
    roles: frozenset[str]  # empty: anyone signed in
    rows: Callable[[User, Any], QuerySet[Report]]


REPORT_LISTS: dict[str, ReportList] = {
    "all": ReportList(ExportFilterForm, frozenset(), _all_reports),
    "mine": ReportList(MineFilterForm, frozenset(), _mine),
    "triage": ReportList(TriageFilterForm, frozenset({Role.EDITOR}), _triage),
}


#: Rows read and prefetched at a time: memory stays flat on a long export, and SQLite is not
#: asked for one prefetch over every row at once ("Expression tree is too large").
CHUNK = 500


#: The report columns read as plain values: model instances and their prefetches cost as
#: much as writing the cells (3,000 rows took 6.8 s on the loaded machine).
_REPORT_FIELDS = (
    "pk",
    "title",
    "situation",
    "analysis",
    "suggestions",
    "informant",
    "submitting_unit__name",
    "submitted_at",
    "category_id",
    "serial",
    "state",
    "urgency",
    "confidentiality",
    "confidential_until",
)


def _chunks(rows: Iterator[Any]) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _author_names(ids: list[int]) -> dict[int, list[str]]:
    """Each report's authors in order (``Report.author_names`` without the informant)."""
    names: dict[int, list[str]] = {}
    authors = ReportAuthor.objects.filter(report_id__in=ids).order_by("report_id", "position", "id")
    for report_id, name in authors.values_list("report_id", "member__name"):
        names.setdefault(report_id, []).append(name)
    return names


def _report_rows(reports: QuerySet[Report]) -> Iterator[list[str]]:
    """Plain rows a chunk at a time, each chunk's authors in one query."""
    categories = {c.pk: str(c) for c in Category.objects.select_related("parent")}
    states, urgencies = dict(State.choices), dict(Urgency.choices)
    rows = reports.values_list(*_REPORT_FIELDS).iterator(chunk_size=CHUNK)
    for chunk in _chunks(rows):
        authors = _author_names([row[0] for row in chunk])
        for (
            pk,
            title,
            sit,
            ana,
            sug,
            informant,
            unit,
            sent,
            cat,
            serial,
            state,
            urg,
            *mark,
        ) in chunk:
            names = authors.get(pk, []) + ([informant] if informant else [])
            yield [
                title,
                sit,
                ana,
                sug,
                "、".join(names),
                unit or "",
                _day(sent),
                categories.get(cat, "") if cat else "",
                serial,
                states.get(state, state),
                urgencies.get(urg, urg),
                marking_label(*mark),
            ]


@dataclass(frozen=True)
class ExportedFile:
    """An export written to a temporary file (sent from disk, not held in memory), its rows."""

    file: IO[bytes]
    rows: int
    marked: int = 0


def export_reports(user: User, which: str, form: forms.Form) -> ExportedFile:
    """The list ``which`` exactly as its page filters it; ``form`` is already validated."""
    counted = _Counted(_report_rows(REPORT_LISTS[which].rows(user, form)))
    out = tempfile.TemporaryFile()  # noqa: SIM115  (closed by the response that sends it)
    write_xlsx_to(out, "社情民意信息", REPORT_COLUMNS, counted)
    out.seek(0)
    return ExportedFile(out, counted.count, counted.marked)


def filtered_forwardings(user: User, form: RegisterForm) -> QuerySet[Forwarding]:
    """The rows of 采用登记 exactly as the register filters and sorts them."""
    return (
        register.filtered_rows(user, form)
        .select_related("report", "recipient", "issue", "issue__bulletin", "adoption")
        .prefetch_related("instructions")
    )


def _forwarding_rows(rows: QuerySet[Forwarding]) -> Iterator[list[str]]:
    for f in rows.iterator(chunk_size=CHUNK):
        adoption = getattr(f, "adoption", None)
        instructions = "；".join(
            f"{i.leader_name}（{i.instructed_on:%Y-%m-%d}）：{i.text}" for i in f.instructions.all()
        )
        yield [
            f.report.serial,
            f.report.title,
            f.recipient.name,
            str(f.issue) if f.issue else "",
            _day(f.forwarded_at),
            f.get_state_display(),
            adoption.get_kind_display() if adoption else "",
            adoption.carrier if adoption else "",
            adoption.adopted_on.isoformat() if adoption else "",
            instructions,
            marking_label(f.report.confidentiality, f.report.confidential_until),
        ]


def export_forwardings(user: User, form: RegisterForm) -> Exported:
    rows = _forwarding_rows(filtered_forwardings(user, form))
    return _exported("报送与采用", FORWARDING_COLUMNS, rows)


def _roster_rows() -> Iterator[list[str]]:
    members = Member.objects.select_related("sector").prefetch_related("organizations")
    for m in members.order_by("id").iterator(chunk_size=CHUNK):
        yield [
            m.name,
            m.sector.name if m.sector else "",
            "、".join(o.name for o in m.organizations.all()),
            m.title,
            YES if m.is_information_officer else NO,
            m.phone,
        ]


def export_roster() -> Exported:
    return _exported("委员名册", ROSTER_COLUMNS, _roster_rows())
