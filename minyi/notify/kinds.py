"""The kinds of notification a user can set a preference for, in one registry.

Each event verb that tells someone something maps to one kind; a user chooses,
per kind, how it reaches them outside the app: at once, in the daily digest, or
not at all. The in-app list (通知) always keeps every notification, because it
is the record of feedback (反馈) to authors. The office can mark a kind
mandatory (``KindPolicy``); a mandatory kind cannot be switched off.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from minyi.audit.verbs import ACCESS_VERBS, Verb


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", "即时发送"
    DIGEST = "digest", "每日汇总"
    OFF = "off", "不发送"


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    description: str
    default: str
    #: Mandatory until the office says otherwise in the admin (``KindPolicy``).
    mandatory_by_default: bool = False
    #: The deliveries a user may choose; a weekly summary has no "at once".
    deliveries: tuple[str, ...] = (Delivery.IMMEDIATE, Delivery.DIGEST, Delivery.OFF)
    #: Who the kind is for (role codes); empty means everyone.
    roles: frozenset[str] = frozenset()

    @property
    def choices(self) -> list[tuple[str, str]]:
        return [(d, Delivery(d).label) for d in self.deliveries]


KINDS: dict[str, Kind] = {
    kind.code: kind
    for kind in (
        Kind(
            "report_status",
            "我的信息进展",
            "您报送的信息被受理、退回修改、不予采用、综合、签发、编发、报送时",
            Delivery.IMMEDIATE,
        ),
        Kind(
            "outcome",
            "采用和批示",
            "您的信息被采用或获领导批示时",
            Delivery.IMMEDIATE,
            mandatory_by_default=True,
        ),
        Kind(
            "action_needed",
            "待我处理",
            "有稿件等待您受理、编辑或签发时（每日汇总中列出待办数量）",
            Delivery.DIGEST,
        ),
        Kind(
            "urgent_report",
            "急报、特报到达",
            "有急报或特报报送时即时告知（信息编辑、签发领导），不受每日汇总时间限制",
            Delivery.IMMEDIATE,
            mandatory_by_default=True,
            deliveries=(Delivery.IMMEDIATE, Delivery.OFF),
            roles=frozenset({"editor", "approver"}),
        ),
        Kind(
            "deadline",
            "时限提醒",
            "您负责的稿件即将到期或已经超期、报送对象逾期未反馈采用情况时",
            Delivery.IMMEDIATE,
            mandatory_by_default=True,
        ),
        Kind(
            "commission",
            "约稿",
            "研究室向您约稿、约稿即将到期时；约稿对象接受、婉拒或交稿时（信息编辑）",
            Delivery.IMMEDIATE,
        ),
        Kind(
            "hot_topics",
            "每周热点",
            "每周一的汇总中列出近 30 天的热点话题和苗头性问题（信息编辑、领导）",
            Delivery.DIGEST,
            deliveries=(Delivery.DIGEST, Delivery.OFF),
            roles=frozenset({"editor", "leader"}),
        ),
    )
}

#: Every verb and the kind of notification it makes, or None: it tells nobody.
VERB_KINDS: dict[Verb, str | None] = {
    # Listed one by one: a new verb must be placed here (tests/audit/test_verbs.py).
    **dict.fromkeys(
        (
            Verb.CREATE,
            Verb.SUBMIT,
            Verb.RESUBMIT,
            Verb.WITHDRAW,
            Verb.COMPOSE,
            Verb.EDIT,
            Verb.EDIT_DETAILS,
            Verb.RECATEGORIZE,
            Verb.MARK_CONFIDENTIALITY,
            Verb.SEND_FOR_SIGN_OFF,
            Verb.REJECT_SIGN_OFF,
            Verb.CLAIM,
            Verb.RELEASE,
            Verb.CHASE,
            Verb.RECALL,  # Its report's ``unpublish`` tells the authors.
            Verb.ATTACH,
            Verb.REMOVE_ATTACHMENT,
            Verb.IMPORT_MESSAGE,
            Verb.CREATE_ISSUE,
            Verb.COMPOSE_ISSUE,
            Verb.SEND_ISSUE_FOR_SIGN_OFF,
            Verb.SIGN_OFF_ISSUE,
            Verb.APPROVE_ISSUE_STEP,
            Verb.DELETE_ISSUE,
            Verb.CORRECT_ISSUE,
            Verb.VOID_ISSUE,
            Verb.SCORE_RULES_CHANGE,
            Verb.SCORE_CORRECT,
            Verb.SCORE_OBJECTION,
            Verb.SCORE_OBJECTION_RESOLVE,
            Verb.CAMPAIGN_SAVE,
            Verb.NOTICE_CONFIRM,
            Verb.RATING_REVIEW,
            Verb.NOTICE_PUBLISH,
            Verb.IMPORT_ROSTER,
            Verb.IMPORT_REPORTS,
            Verb.TOPIC_SAVE,
            Verb.TERM_CHANGE,
            Verb.OFFICER_APPOINT,
            Verb.OFFICER_REMOVE,
        ),
        None,
    ),
    **dict.fromkeys(ACCESS_VERBS, None),
    **dict.fromkeys(
        (
            Verb.RETURN,
            Verb.ACCEPT,
            Verb.DECLINE,
            Verb.MERGE,
            Verb.SIGN_OFF,
            Verb.PUBLISH,
            Verb.UNPUBLISH,
            Verb.SEND_DIRECTLY,
            Verb.FORWARD,
            Verb.NOT_ADOPTED,
        ),
        "report_status",
    ),
    # The editor whose claimed report another editor took over (``notify.staff``).
    Verb.TAKE_OVER: "action_needed",
    # The editor of an issue sent back at a step of its approval chain (``notify.staff``).
    Verb.REJECT_ISSUE: "action_needed",
    Verb.ADOPT: "outcome",
    Verb.INSTRUCT: "outcome",
    Verb.DEADLINE_NEAR: "deadline",
    Verb.DEADLINE_PASSED: "deadline",
    Verb.FEEDBACK_OVERDUE: "deadline",
    # 约稿: the member asked hears of it, the office of the answer (``notify.commissions``).
    **dict.fromkeys(
        (
            Verb.COMMISSION_OFFER,
            Verb.COMMISSION_ACCEPT,
            Verb.COMMISSION_DECLINE,
            Verb.COMMISSION_DELIVER,
            Verb.COMMISSION_UNDELIVER,
            Verb.COMMISSION_CANCEL,
            Verb.COMMISSION_DUE,
        ),
        "commission",
    ),
}


def kinds_for(roles: frozenset[str]) -> list[str]:
    """The kinds a user holding ``roles`` may set, in the registry's order."""
    return [code for code, kind in KINDS.items() if not kind.roles or kind.roles & roles]


def kind_for_verb(verb: str) -> str:
    """The kind a verb belongs to; a verb that tells nobody counts as progress of one's reports."""
    return VERB_KINDS.get(Verb(verb)) or "report_status"
