"""Objections (申诉) and annual notices (年度通报) as tables run by the shared state machine.

An objection is open until an admin upholds or rejects it, with a reply; both
resolutions write the one event ``score_objection_resolve``. A notice is drafted
by an editor, then confirmed and published by the approver; publishing freezes
its figures (``actions.do_publish_notice``).
"""

from __future__ import annotations

from minyi.audit.statemachine import Machine, Move, move
from minyi.audit.verbs import Verb
from minyi.people.models import Role
from minyi.scoring.models import AnnualNotice, NoticeState, Objection, ObjectionState
from minyi.scoring.ratings import confirm_guard

RESOLVE = Verb.SCORE_OBJECTION_RESOLVE

OBJECTION_TRANSITIONS: dict[tuple[str, str], Move] = {
    (ObjectionState.OPEN, "uphold"): move(
        ObjectionState.UPHELD, {Role.ADMIN}, "采纳", note_required=True, verb=RESOLVE
    ),
    (ObjectionState.OPEN, "reject"): move(
        ObjectionState.REJECTED, {Role.ADMIN}, "不予采纳", note_required=True, verb=RESOLVE
    ),
}

OBJECTIONS: Machine[Objection] = Machine(
    model=Objection,
    noun="申诉",
    table=OBJECTION_TRANSITIONS,
    note_name="处理意见",
    refusals={"uphold": "该申诉已处理。", "reject": "该申诉已处理。"},
)

NOTICE_TRANSITIONS: dict[tuple[str, str], Move] = {
    (NoticeState.DRAFT, "confirm"): move(
        NoticeState.CONFIRMED,
        {Role.APPROVER},
        "审定",
        verb=Verb.NOTICE_CONFIRM,
        # Every adverse rating the notice lists is reviewed (维持/改定) by the editor first.
        guard=confirm_guard,
    ),
    (NoticeState.CONFIRMED, "publish"): move(
        NoticeState.PUBLISHED, {Role.APPROVER}, "发布", verb=Verb.NOTICE_PUBLISH
    ),
}

NOTICES: Machine[AnnualNotice] = Machine(
    model=AnnualNotice,
    noun="年度通报",
    table=NOTICE_TRANSITIONS,
    refusals={"confirm": "只有起草中的通报可以审定。", "publish": "通报须先审定再发布。"},
    describe=lambda notice: {"year": notice.year},
)
