"""Plain ``make_*`` helpers and the fixed cast of users shared by every test.

The cast (see ``Cast``): a member (委员) of the 民盟 unit, an information
officer (特约信息员) of the same unit, that unit's liaison, an editor, an
approver, a leader, and an outsider: a member of another unit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from minyi.audit.consumers import drain_all
from minyi.audit.statemachine import ActionRefused
from minyi.bulletins.actions import (
    do_compose,
    do_create_issue,
    do_send_issue_for_sign_off,
    do_sign_off_issue,
)
from minyi.bulletins.models import Bulletin, Issue
from minyi.outcomes.models import Recipient, RecipientLevel
from minyi.people.models import Member, Organization, OrgKind, Role, RoleAssignment, Sector, User
from minyi.reports.actions import do_create_report, do_decline, do_mark_duplicate, do_submit
from minyi.reports.models import Category, DeclineReason, Report, State
from minyi.reports.workflow import AUTHOR, TRANSITIONS, Move, transition

PASSWORD = "minyi-test-pw"


def make_org(name: str, kind: str = OrgKind.DEMOCRATIC_PARTY, **kw: Any) -> Organization:
    return Organization.objects.get_or_create(name=name, defaults={"kind": kind, **kw})[0]


def make_member(name: str, unit: Organization, *, officer: bool = False) -> Member:
    sector = Sector.objects.get_or_create(name="经济界")[0]
    member = Member.objects.create(name=name, sector=sector, is_information_officer=officer)
    member.organizations.add(unit)
    return member


def make_user(
    username: str,
    *roles: str,
    member: Member | None = None,
    unit: Organization | None = None,
    **kw: Any,
) -> User:
    user = User.objects.create_user(
        username,
        password=PASSWORD,
        display_name=kw.pop("display_name", username),
        member=member,
        **kw,
    )
    for role in roles:
        org = unit if role == Role.LIAISON else None
        RoleAssignment.objects.create(user=user, role=role, organization=org)
    return user


@dataclass
class Cast:
    unit: Organization
    other_unit: Organization
    member: User
    officer: User
    liaison: User
    editor: User
    approver: User
    leader: User
    outsider: User
    category: Category
    bulletin: Bulletin
    recipients: list[Recipient]

    def everyone(self) -> dict[str, User]:
        return {
            name: getattr(self, name)
            for name in ("member", "officer", "liaison", "editor", "approver", "leader", "outsider")
        }


def make_cast() -> Cast:
    unit = make_org("民盟市委")
    other = make_org("九三学社市委")
    parent = Category.objects.get_or_create(name="民生保障")[0]
    category = Category.objects.get_or_create(name="养老服务", parent=parent)[0]
    return Cast(
        unit=unit,
        other_unit=other,
        member=make_user("member", member=make_member("张明", unit), display_name="张明"),
        officer=make_user(
            "officer", member=make_member("李华", unit, officer=True), display_name="李华"
        ),
        liaison=make_user("liaison", Role.LIAISON, unit=unit, display_name="王联络"),
        editor=make_user("editor", Role.EDITOR, display_name="赵编辑"),
        approver=make_user("approver", Role.APPROVER, display_name="钱秘书长"),
        leader=make_user("leader", Role.LEADER, display_name="孙主席"),
        outsider=make_user("outsider", member=make_member("周外", other), display_name="周外"),
        category=category,
        bulletin=Bulletin.objects.get_or_create(name="社情民意", code="sqmy")[0],
        recipients=[
            Recipient.objects.get_or_create(name="全国政协", level=RecipientLevel.NATIONAL)[0],
            Recipient.objects.get_or_create(name="市委", level=RecipientLevel.MUNICIPAL)[0],
        ],
    )


REPORT_TEXT = {
    "title": "关于加快社区养老服务设施建设的建议",
    "situation": "我市60岁以上老年人口已达86万，占户籍人口21.3%，社区养老床位缺口约4000张。",
    "analysis": "一是规划落地难；二是运营补贴不足；三是专业护理人员缺乏。",
    "suggestions": "一、将社区养老设施纳入控规；二、提高运营补贴标准；三、加强护理人员培训。",
}


def make_report(cast: Cast, *, by: User | None = None, state: str = "draft", **kw: Any) -> Report:
    """A report by ``by`` (the cast's member), moved through the workflow to ``state``.

    The moves are the shortest path through ``TRANSITIONS`` from 草稿, each made
    by someone allowed to make it and through the action the application uses
    (``do_submit``, ``do_decline``, an issue's sign-off for ``publish``…). A state
    the table cannot reach, or a move the report is not fit for (``send_directly``
    of a routine report), raises ``ValueError``.
    """
    author = by or cast.member
    path = path_to(state)
    fields = {**REPORT_TEXT, **{k: kw.pop(k) for k in list(kw) if k in REPORT_TEXT}}
    authors = [author.member] if author.member_id else []
    report = do_create_report(
        author,
        fields=fields,
        authors=authors,
        submitting_unit=kw.pop("unit", cast.unit),
        category=cast.category,
        **kw,
    )
    for action, move in path:
        try:
            _make_move(cast, report, author, action, move)
        except ActionRefused as exc:
            raise ValueError(
                f"make_report cannot reach {state!r}: {action} refused: {exc}"
            ) from exc
    report.refresh_from_db()
    return report


def path_to(state: str) -> list[tuple[str, Move]]:
    """The shortest list of (action, move) leading from 草稿 to ``state``."""
    paths: dict[str, list[tuple[str, Move]]] = {State.DRAFT: []}
    frontier = [State.DRAFT.value]
    while frontier and state not in paths:
        following = []
        for current in frontier:
            for (source, action), move in TRANSITIONS.items():
                if source == current and move.target not in paths:
                    paths[move.target] = [*paths[current], (action, move)]
                    following.append(move.target)
        frontier = following
    if state not in paths:
        raise ValueError(f"make_report cannot reach state {state!r} from draft")
    return paths[state]


def _make_move(cast: Cast, report: Report, author: User, action: str, move: Move) -> None:
    actors = {AUTHOR: author, Role.EDITOR: cast.editor, Role.APPROVER: cast.approver}
    actor = next(actors[role] for role in sorted(move.roles) if role in actors)
    if action in ("submit", "resubmit"):
        do_submit(report, actor)
    elif action == "decline":
        do_decline(report, actor, reason=DeclineReason.OUTDATED)
    elif action == "merge":
        original = make_report(cast, by=author, state=State.SUBMITTED, title="较早报送的同题信息")
        do_mark_duplicate(report, actor, original=original)
    elif action == "publish":
        publish(cast, [report])
    else:
        transition(report, action, actor, note="测试理由" if move.note_required else "")


def publish(cast: Cast, reports: list[Report]) -> Issue:
    issue = do_create_issue(cast.bulletin, cast.editor)
    do_compose(
        issue, cast.editor, reports=reports, main=cast.recipients[:1], copy=cast.recipients[1:]
    )
    do_send_issue_for_sign_off(issue, cast.editor)
    do_sign_off_issue(issue, cast.approver, opinion="同意。", acknowledged=True)
    return issue


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def settle() -> None:
    """Run every consumer of the event log now, as the worker's next tick would.

    Tests run inside a transaction that never commits, so the after-commit nudge
    never fires; a test that wants the side effects of its actions (notifications,
    points, the search index) settles them explicitly.
    """
    drain_all(force=True)
