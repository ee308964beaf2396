"""The topic guide (选题指南) and 约稿: the office's pages and the member's answer.

The office publishes topics and commissions reports on them; a member sees the open
topics and their own commissions on their home page (``member_side``), answers a
commission here, and writes the report from it on the report form (``topic_start``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from minyi.audit.statemachine import ActionRefused
from minyi.core import clock
from minyi.duties import actions
from minyi.duties.access import ALL_ROLES, get_commission_for, visible_commissions
from minyi.duties.forms import AnswerForm, CommissionForm, TopicForm
from minyi.duties.models import Commission, CommissionState
from minyi.duties.workflow import MACHINE
from minyi.outcomes.summary import latest_outcomes
from minyi.people.decorators import role_required
from minyi.people.models import Role
from minyi.reports.access import visible_reports
from minyi.reports.models import Report, Topic

#: Who keeps the guide and commissions reports.
EDIT_ROLES = (Role.EDITOR, Role.ADMIN)
#: The answers a member may give a commission (the ``<action>`` of the answer URL).
ANSWER_ACTIONS = frozenset({"accept", "decline"})


def _topic(pk: int) -> Topic:
    # Topics are not protected records: the pages that show them are (role_required).
    try:
        return Topic.objects.select_related("category").get(pk=pk)
    except Topic.DoesNotExist:
        raise Http404("没有找到该选题。") from None


def _with_readable_reports(user: Any, commissions: Any) -> list[Commission]:
    """Mark which commissions' reports this user may read: a draft stays its author's."""
    rows = list(commissions)
    ids = [c.report_id for c in rows if c.report_id]
    readable = set(visible_reports(user).filter(pk__in=ids).values_list("pk", flat=True))
    for c in rows:
        c.report_readable = c.report_id in readable
    return rows


def member_side(user: Any) -> dict[str, Any]:
    """For a member's home page: the open topics, and the commissions waiting on them.

    A topic the member holds a commission on gets one button, the commission's: to
    write (``?commission=``, so the report delivers it) once accepted and not yet
    written, or to answer it first; never a second, plain "据此撰写".
    """
    mine = list(
        visible_commissions(user)
        .for_user(user)
        .filter(state__in=(CommissionState.OFFERED, CommissionState.ACCEPTED))
        .order_by("due_on", "id")
    )
    topics = list(Topic.objects.open_on(clock.localdate()).select_related("category")[:20])
    held: dict[int, Commission] = {}
    for c in mine:
        held.setdefault(c.topic_id, c)
    for t in topics:
        t.my_commission = held.get(t.pk)
    return {"open_topics": topics, "my_commissions": mine}


# --- The office: topics ---------------------------------------------------------------


@role_required(*ALL_ROLES)
def topic_list(request: HttpRequest) -> HttpResponse:
    topics = Topic.objects.select_related("category").order_by("-opens_on", "-id")
    return render(
        request,
        "duties/topics.html",
        {"topics": topics, "can_edit": request.user.has_role(*EDIT_ROLES)},
    )


def _topic_form(request: HttpRequest, topic: Topic | None) -> HttpResponse:
    initial = None
    if topic is not None:
        initial = {name: getattr(topic, name) for name in TopicForm.base_fields}
    form = TopicForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = dict(form.cleaned_data)
            published = data.pop("published")
            try:
                saved = actions.do_save_topic(request.user, topic, fields=data, published=published)
            except ActionRefused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request, "选题已保存。" + ("委员可在首页看到。" if published else "")
                )
                return redirect("topics:detail", saved.pk)
    return render(request, "duties/topic_form.html", {"form": form, "topic": topic}, status=status)


@role_required(*EDIT_ROLES)
def topic_new(request: HttpRequest) -> HttpResponse:
    return _topic_form(request, None)


@role_required(*EDIT_ROLES)
def topic_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _topic_form(request, _topic(pk))


@role_required(*ALL_ROLES)
def topic_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Per topic: who was asked and how they answered, who wrote what and its fate."""
    topic = _topic(pk)
    # The topic's few reports by the topic index first, then their rows with people: in one
    # query SQLite's statistics (the reports without a topic count as one group of half the
    # archive) made it walk every user's reports or the submitted_at index: 90-170 ms at 100,000.
    ids = list(visible_reports(request.user).filter(topic=topic).values_list("pk", flat=True))
    reports = list(Report.objects.filter(pk__in=ids).with_people().order_by("-submitted_at", "-id"))
    outcomes = latest_outcomes([r.pk for r in reports])
    for report in reports:
        report.outcome = outcomes.get(report.pk, "")
    commissions = _with_readable_reports(
        request.user, visible_commissions(request.user).filter(topic=topic).order_by("due_on", "id")
    )
    context = {
        "topic": topic,
        "reports": reports,
        "commissions": commissions,
        "can_edit": request.user.has_role(*EDIT_ROLES),
        "today": clock.localdate(),
    }
    return render(request, "duties/topic.html", context)


# --- The office: commissions ----------------------------------------------------------


@role_required(*EDIT_ROLES)
def commission_new(request: HttpRequest, pk: int) -> HttpResponse:
    topic = _topic(pk)
    form = CommissionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                made = actions.do_commission(
                    request.user,
                    topic,
                    members=list(data["members"]),
                    unit=data["unit"],
                    due_on=data["due_on"],
                    request=data["request"],
                )
            except ActionRefused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"已发出约稿 {len(made)} 份，等待对方答复。")
                return redirect("topics:detail", topic.pk)
    return render(
        request, "duties/commission_form.html", {"form": form, "topic": topic}, status=status
    )


@role_required(*ALL_ROLES)
def commission_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    rows = visible_commissions(request.user).order_by("due_on", "id")
    if state in CommissionState.values:
        rows = rows.filter(state=state)
    context = {
        "commissions": _with_readable_reports(request.user, rows[:500]),
        "states": CommissionState.choices,
        "state": state,
        "today": clock.localdate(),
    }
    return render(request, "duties/commissions.html", context)


@role_required(*EDIT_ROLES)
@require_POST
def commission_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    commission = get_commission_for(request.user, pk)
    try:
        actions.do_cancel(commission, request.user, request.POST.get("reason", ""))
    except ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "约稿已撤销，已告知对方。")
    return redirect("topics:detail", commission.topic_id)


# --- The member: a commission and its answer --------------------------------------------


@login_required
def commission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    commission = get_commission_for(request.user, pk)
    _with_readable_reports(request.user, [commission])
    addressed = commission.is_addressed_to(request.user)
    context = {
        "commission": commission,
        "topic": commission.topic,
        "addressed": addressed,
        "answers": [a for a, _ in MACHINE.available(commission, request.user)] if addressed else [],
        "may_write": addressed
        and commission.state == CommissionState.ACCEPTED
        and not commission.report_id,
        "form": AnswerForm(),
        "today": clock.localdate(),
    }
    return render(request, "duties/commission.html", context)


@login_required
@require_POST
def commission_answer(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ANSWER_ACTIONS:
        # Not an answer at all: no such page (nothing is looked up, so nothing leaks).
        raise Http404("没有这个操作。")
    commission = get_commission_for(request.user, pk)
    if not commission.is_addressed_to(request.user):
        raise PermissionDenied("只有被约稿的委员（或单位的信息联络员）可以答复约稿。")
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return redirect("topics:commission", pk)
    try:
        actions.do_answer(commission, request.user, action, form.cleaned_data["reason"])
    except ActionRefused as exc:
        messages.error(request, str(exc))
        return redirect("topics:commission", pk)
    if action == "accept":
        messages.success(request, "已接受约稿，可以据此撰写信息。")
    else:
        messages.success(request, "已婉拒约稿，研究室会看到您的理由。")
    return redirect("topics:commission", pk)
