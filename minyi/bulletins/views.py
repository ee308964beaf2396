"""Bulletin pages: the editor's issue list and composer, the issue itself, the leader's reader.

Views stay thin: issues are fetched only through ``get_issue_for`` /
``visible_issues``, and every change goes through a ``do_*`` function whose
``ActionRefused`` message is shown as it is.
"""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, OuterRef, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from minyi.audit.statemachine import ActionRefused
from minyi.bulletins.access import get_issue_for, visible_issues
from minyi.bulletins.actions import (
    do_approve_step,
    do_compose,
    do_correct_issue,
    do_create_issue,
    do_delete_issue,
    do_reject_issue,
    do_send_issue_for_sign_off,
    do_sign_off_issue,
    do_void_issue,
)
from minyi.bulletins.chain import chain_for, is_last_step
from minyi.bulletins.forms import Composition, ReaderFilterForm, parse_composition
from minyi.bulletins.models import Bulletin, CopyKind, Issue, IssueItem, IssueState
from minyi.bulletins.workflow import ISSUES, step_token
from minyi.core import clock
from minyi.core.http import parse_ids
from minyi.outcomes.models import Recipient
from minyi.people.decorators import role_required
from minyi.people.models import Role
from minyi.reports.access import visible_reports
from minyi.reports.models import Attachment, Confidentiality, Report, Revision, State, Urgency
from minyi.reports.opinions import original_diff

READER_PAGE_SIZE = 30
URGENCY_RANK = {Urgency.SPECIAL: 0, Urgency.URGENT: 1, Urgency.ROUTINE: 2}


# --- The editor's list of issues ---------------------------------------------


#: Years of issues the list shows unless the editor picks one (1: this year): ten years of
#: several series are thousands of issues, two seconds to draw.
RECENT_YEARS = 1


def _chosen_year(value: str | None, years: list[int]) -> int | None:
    """A year from the list of years with issues, or None for the recent ones."""
    return int(value) if value and value.isdigit() and int(value) in years else None


@role_required(Role.EDITOR)
def issue_list(request: HttpRequest) -> HttpResponse:
    visible = visible_issues(request.user)
    years = sorted(set(visible.values_list("year", flat=True)), reverse=True)
    year = _chosen_year(request.GET.get("year"), years)
    if year is None:
        visible = visible.filter(year__gt=clock.localdate().year - RECENT_YEARS)
    else:
        visible = visible.filter(year=year)
    issues = (
        visible.select_related("bulletin", "editor")
        .annotate(item_count=Count("items"))
        .order_by("bulletin_id", "-year", F("number").desc(nulls_first=True), "-created_at")
    )
    by_bulletin = {
        bulletin_id: [(year, list(group)) for year, group in groupby(rows, lambda i: i.year)]
        for bulletin_id, rows in groupby(issues, lambda i: i.bulletin_id)
    }
    series = [
        {"bulletin": b, "years": by_bulletin.get(b.pk, [])}
        for b in Bulletin.objects.all()
        if b.active or b.pk in by_bulletin
    ]
    context = {"series": series, "years": years, "year": year}
    return render(request, "bulletins/list.html", context)


@role_required(Role.EDITOR)
@require_POST
def create(request: HttpRequest) -> HttpResponse:
    picked = parse_ids(request.POST.getlist("bulletin"), limit=1)
    bulletin = Bulletin.objects.filter(pk=picked[0]).first() if picked else None
    if bulletin is None:
        messages.error(request, "没有找到该刊物，请刷新页面后重试。")
        return redirect("bulletins:list")
    try:
        # The number comes from a locked counter inside do_create_issue, never from max+1.
        issue = do_create_issue(bulletin, request.user)
    except ActionRefused as exc:
        messages.error(request, str(exc))
        return redirect("bulletins:list")
    messages.success(
        request, f"已新建{issue.bulletin}一期（待编号，签发时编定期号），请选择本期稿件和报送对象。"
    )
    return redirect("bulletins:compose", issue.pk)


@role_required(Role.EDITOR)
@require_POST
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_issue_for(request.user, pk, write=True)
    try:
        do_delete_issue(issue, request.user)
    except ActionRefused as exc:
        messages.error(request, str(exc))
        return redirect("bulletins:detail", issue.pk)
    messages.success(request, f"已删除{issue}；它尚未编号，不占用期号。")
    return redirect("bulletins:list")


# --- Composer -----------------------------------------------------------------


def _candidates(request: HttpRequest, issue: Issue) -> list[Report]:
    """Signed-off reports in no other issue; this issue's items first, in their order."""
    in_other_issue = (
        IssueItem.objects.filter(report=OuterRef("pk"))
        .exclude(issue=issue)
        .exclude(issue__state=IssueState.VOIDED)
    )
    reports = list(
        visible_reports(request.user)
        .filter(state=State.SIGNED_OFF)
        .exclude(Exists(in_other_issue))
        .with_people()
    )
    positions = dict(issue.items.values_list("report_id", "position"))
    for report in reports:
        report.position = positions.get(report.pk)

    def key(r: Report) -> tuple[int, int, int]:
        if r.position is not None:
            return (0, r.position, r.pk)
        return (1, URGENCY_RANK.get(r.urgency, 2), r.pk)

    return sorted(reports, key=key)


def _current_composition(issue: Issue) -> Composition:
    report_ids = list(issue.items.values_list("report_id", flat=True))
    kinds = list(issue.issue_recipients.values_list("recipient_id", "kind"))
    return Composition(
        report_ids=report_ids,
        orders={pk: str(n) for n, pk in enumerate(report_ids, start=1)},
        main_ids=[pk for pk, kind in kinds if kind == CopyKind.MAIN],
        copy_ids=[pk for pk, kind in kinds if kind == CopyKind.COPY],
    )


def _resolve(
    request: HttpRequest, composition: Composition
) -> tuple[list[Report], list[Recipient], list[Recipient]]:
    """Turn submitted ids into objects the user may use, or refuse the whole request."""
    found = visible_reports(request.user).in_bulk(composition.report_ids)
    if len(found) != len(composition.report_ids):
        raise ActionRefused("所选稿件中有的已不存在或您无权查看，请刷新页面后重试。")
    recipients = Recipient.objects.filter(active=True).in_bulk(
        composition.main_ids + composition.copy_ids
    )
    if len(recipients) != len(set(composition.main_ids + composition.copy_ids)):
        raise ActionRefused("所选报送对象中有的已停用，请刷新页面后重试。")
    return (
        [found[pk] for pk in composition.report_ids],
        [recipients[pk] for pk in composition.main_ids],
        [recipients[pk] for pk in composition.copy_ids],
    )


@role_required(Role.EDITOR)
def compose(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_issue_for(request.user, pk, write=True)
    if issue.state != IssueState.DRAFT:
        messages.error(request, f"{issue}已{issue.get_state_display()}，不能再调整稿件。")
        return redirect("bulletins:detail", issue.pk)
    composition, error = _current_composition(issue), ""
    if request.method == "POST":
        try:
            composition = parse_composition(request.POST)
            reports, main, copy = _resolve(request, composition)
            do_compose(issue, request.user, reports=reports, main=main, copy=copy)
        except ActionRefused as exc:
            error = str(exc)
        else:
            messages.success(request, f"已保存：本期共 {len(reports)} 篇稿件。")
            return redirect("bulletins:compose", issue.pk)
    candidates = _candidates(request, issue)
    for report in candidates:
        report.order_value = composition.orders.get(report.pk, "")
    context = {
        "issue": issue,
        "candidates": candidates,
        "recipients": Recipient.objects.filter(active=True),
        "composition": composition,
        "picked": set(composition.report_ids),
        "error": error,
        "has_items": issue.items.exists(),
    }
    return render(request, "bulletins/compose.html", context)


@role_required(Role.EDITOR)
@require_POST
def send(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_issue_for(request.user, pk, write=True)
    try:
        do_send_issue_for_sign_off(issue, request.user)
    except ActionRefused as exc:
        messages.error(request, str(exc))
        return redirect("bulletins:compose", issue.pk)
    messages.success(request, f"{issue}已送审签，等待签发人签发。")
    return redirect("bulletins:detail", issue.pk)


# --- The issue as it reads, sign-off and rejection ---------------------------


def _items_with_text(issue: Issue) -> list[tuple[IssueItem, dict[str, str]]]:
    """Each item with its report's current revision (the text as the office last left it)."""
    items = issue.items.select_related(
        "report", "report__submitting_unit", "report__category"
    ).prefetch_related(
        "report__report_authors__member",
        Prefetch("report__revisions", queryset=Revision.objects.order_by("-number")),
        # Listed under each item for readers (leaders, the office): the issue's
        # reports are readable by whoever may read the issue.
        Prefetch(
            "report__attachments",
            queryset=Attachment.objects.select_related("uploaded_by").order_by("uploaded_at"),
        ),
    )
    result = []
    for item in items:
        report = item.report
        current = next(
            (r for r in report.revisions.all() if r.number == report.revision_number), None
        )
        result.append((item, (current or report).text_fields()))
    return result


def _item_diffs(issue: Issue) -> dict[int, list[tuple[str, Any]]]:
    """Per item, each text field of the current text against the submitted original."""
    return {item.pk: original_diff(item.report) for item in issue.items.select_related("report")}


def _decision_context(issue: Issue, user: Any) -> dict[str, Any]:
    """What the approver at the current step may do, and where the chain stands."""
    steps = chain_for(issue)
    last = is_last_step(issue)
    may_decide = ISSUES.allows(issue, "sign_off" if last else "approve_step", user)
    return {
        "steps": [(n, s, n < issue.step) for n, s in enumerate(steps)],
        "current_step": steps[min(issue.step, len(steps) - 1)],
        "is_last_step": last,
        "step_token": step_token(issue),
        "can_decide": may_decide,
        "can_reject": ISSUES.allows(issue, "reject", user),
        "can_correct": ISSUES.allows(issue, "correct", user),
        "can_void": ISSUES.allows(issue, "void", user),
        "can_delete": issue.state == IssueState.DRAFT
        and issue.number is None
        and user.has_role(Role.EDITOR),
        "opinions": list(issue.opinions.select_related("signer")),
    }


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_issue_for(request.user, pk)
    recipients = list(issue.issue_recipients.select_related("recipient"))
    context = {
        "issue": issue,
        "items": _items_with_text(issue),
        "main": [ir.recipient for ir in recipients if ir.kind == CopyKind.MAIN],
        "copy": [ir.recipient for ir in recipients if ir.kind == CopyKind.COPY],
        "can_compose": issue.state == IssueState.DRAFT and request.user.has_role(Role.EDITOR),
        "from_list": request.user.has_role(Role.EDITOR),
        # A 秘密 issue has no plain download (views_documents refuses it): point to 分发登记.
        "is_secret": issue.items.filter(report__confidentiality=Confidentiality.SECRET).exists(),
        **_decision_context(issue, request.user),
    }
    if context["can_decide"]:
        # The approver reads what the office changed in each item before deciding.
        diffs = _item_diffs(issue)
        for item, _text in context["items"]:
            item.diff = diffs.get(item.pk)
    return render(request, "bulletins/detail.html", context)


@role_required(Role.EDITOR, Role.APPROVER)
@require_POST
def sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    """审核同意 at a step before the last, 签发 at the last; both with an opinion."""
    issue = get_issue_for(request.user, pk, write=True)
    opinion = request.POST.get("opinion", "")
    read = request.POST.get("acknowledged") == "1"
    # The step the page was shown for: a second click must not decide the next step.
    at = request.POST.get("at")
    last = is_last_step(issue)
    try:
        if last:
            do_sign_off_issue(issue, request.user, opinion=opinion, acknowledged=read, at=at)
        else:
            do_approve_step(issue, request.user, opinion=opinion, acknowledged=read, at=at)
    except ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        done = "已签发印发，稿件已报送各报送对象，作者将收到通知"
        messages.success(request, f"{issue}{done if last else '已审核同意，转下一步审签'}。")
    return redirect("bulletins:detail", issue.pk)


def _with_note(request: HttpRequest, pk: int, act: Any, done: str) -> HttpResponse:
    issue = get_issue_for(request.user, pk, write=True)
    try:
        act(issue, request.user, request.POST.get("note", ""))
    except ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{issue}{done}")
    return redirect("bulletins:detail", issue.pk)


@role_required(Role.EDITOR, Role.APPROVER)
@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    at = request.POST.get("at")
    return _with_note(
        request, pk, lambda i, u, n: do_reject_issue(i, u, note=n, at=at), "已退回责任编辑修改。"
    )


@role_required(Role.APPROVER)
@require_POST
def correct(request: HttpRequest, pk: int) -> HttpResponse:
    return _with_note(
        request, pk, lambda i, u, n: do_correct_issue(i, u, note=n), "已更正，原期号不变。"
    )


@role_required(Role.APPROVER)
@require_POST
def void(request: HttpRequest, pk: int) -> HttpResponse:
    return _with_note(
        request, pk, lambda i, u, n: do_void_issue(i, u, reason=n), "已作废，期号保留不再使用。"
    )


# --- Reader -------------------------------------------------------------------


@role_required(Role.LEADER, Role.APPROVER)
def reader(request: HttpRequest) -> HttpResponse:
    issued = visible_issues(request.user).issued()
    form = ReaderFilterForm(request.GET or None, issues=issued)
    issues = (
        form.apply(issued)
        .select_related("bulletin", "approver")
        .order_by("-signed_off_at", "-year", "-number", "-id")
    )
    page = Paginator(issues, READER_PAGE_SIZE).get_page(request.GET.get("page"))
    # The items counted for the page's issues only: counted in the list's query, every issued
    # issue of the archive was joined to its items and grouped before the 30 were cut.
    page.object_list = list(page.object_list)
    counts = dict(
        IssueItem.objects.filter(issue__in=page.object_list)
        .values("issue")
        .annotate(n=Count("id"))
        .values_list("issue", "n")
    )
    for issue in page.object_list:
        issue.item_count = counts.get(issue.pk, 0)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "bulletins/reader.html", {"form": form, "page": page, "query": query.urlencode()}
    )
