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
            "deadline",
            "时限提醒",
            "您负责的稿件即将到期或已经超期、报送对象逾期未反馈采用情况时",
            Delivery.IMMEDIATE,
            mandatory_by_default=True,
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

#: Event verbs and the kind of notification each one makes.
VERB_KINDS: dict[str, str] = {
    **dict.fromkeys(
        (
            "return",
            "accept",
            "decline",
            "merge",
            "mark_duplicate",
            "sign_off",
            "publish",
            "send_directly",
            "forward",
            "not_adopted",
        ),
        "report_status",
    ),
    "adopt": "outcome",
    "instruct": "outcome",
    "deadline_near": "deadline",
    "deadline_passed": "deadline",
    "feedback_overdue": "deadline",
}


def kinds_for(roles: frozenset[str]) -> list[str]:
    """The kinds a user holding ``roles`` may set, in the registry's order."""
    return [code for code, kind in KINDS.items() if not kind.roles or kind.roles & roles]


def kind_for_verb(verb: str) -> str:
    """The kind a verb belongs to; unknown verbs count as progress of one's reports."""
    return VERB_KINDS.get(verb, "report_status")
