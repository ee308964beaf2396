"""Overdue boards (超期督办). Read-only: they only show what the event log says."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from minyi.deadlines.answers import ChaseRow, count_to_chase, forwardings_to_chase
from minyi.deadlines.boards import Board, board_page
from minyi.deadlines.holidays import holiday_warning
from minyi.deadlines.models import DEFAULT_FEEDBACK_WORKING_DAYS, FeedbackDeadline, ServiceLevel
from minyi.outcomes.access import visible_forwardings
from minyi.people.decorators import role_required
from minyi.people.models import Role
from minyi.reports.access import visible_reports

#: The board shows the forwardings overdue longest; the count says how many there are.
CHASE_SHOWN = 25


def _board(
    request: HttpRequest,
    board: Board,
    *,
    title: str,
    intro: str,
    chase: list[ChaseRow] | None = None,
    chase_count: int = 0,
) -> HttpResponse:
    context = {
        "chase": chase,
        "chase_count": chase_count,
        "rows": board.rows,
        "page": board.page,
        "query": "",
        "title": title,
        "intro": intro,
        "overdue_count": board.overdue_count,
        # Editors work on reports in the workbench; everyone else reads the report page.
        "use_workbench": request.user.has_role(Role.EDITOR),
        # outcomes.forwarding_detail is editor_required: others see the title without a link.
        "can_open_forwarding": request.user.has_role(Role.EDITOR),
        "levels": ServiceLevel.objects.all(),
        "feedback_levels": FeedbackDeadline.objects.select_related("recipient"),
        "default_feedback_days": DEFAULT_FEEDBACK_WORKING_DAYS,
        "holiday_warning": holiday_warning(),
    }
    return render(request, "deadlines/board.html", context)


@role_required(Role.EDITOR, Role.APPROVER, Role.ADMIN)
def overdue(request: HttpRequest) -> HttpResponse:
    board = board_page(visible_reports(request.user), request.GET.get("page"))
    forwardings = visible_forwardings(request.user)
    chase = forwardings_to_chase(forwardings, limit=CHASE_SHOWN)
    return _board(
        request,
        board,
        chase=chase,
        chase_count=count_to_chase(forwardings) if len(chase) == CHASE_SHOWN else len(chase),
        title="超期督办",
        intro="以下稿件的办理环节已超期或即将到期，按超期时间从长到短排列。时间均按工作时间计算。",
    )


@role_required(Role.LIAISON)
def unit(request: HttpRequest) -> HttpResponse:
    own = visible_reports(request.user).filter(submitting_unit_id__in=request.user.liaison_unit_ids)
    return _board(
        request,
        board_page(own, request.GET.get("page")),
        title="本单位稿件办理时限",
        intro="以下是本单位报送、研究室尚未在时限内办结或即将到期的稿件，供您了解进度。",
    )
