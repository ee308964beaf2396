"""The daily digest (每日汇总): one email a day with what the user chose to read that way.

It lists the notifications whose delivery is "daily digest" and, for staff who
have not switched 待我处理 off, how many items wait for them in each queue. Once a
week (``NOTIFY_HOT_TOPICS_WEEKDAY``) editors and leaders who keep 每周热点 also get
the five hottest topics of the last 30 days, emerging signals marked.
Each user gets at most one digest per local day (a ``Dispatch`` key), and each
notification goes into one digest only (it is marked sent in the same
transaction), so running the job twice sends nothing more.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from minyi.core import clock
from minyi.notify.channels import enabled_channels
from minyi.notify.emails import absolute, render_digest
from minyi.notify.kinds import KINDS, Delivery
from minyi.notify.models import Dispatch, Notification, Preference
from minyi.people.models import Role, RoleAssignment, User
from minyi.reports.models import Report, State


@dataclass(frozen=True)
class WaitingItem:
    label: str
    count: int
    url: str


@dataclass(frozen=True)
class NoteGroup:
    label: str
    notes: list[Notification]


@dataclass(frozen=True)
class HotItem:
    title: str
    keywords: str
    size: int
    emerging: bool
    url: str


@dataclass
class Digest:
    user: User
    day: dt.date
    notes: list[Notification]
    waiting: list[WaitingItem] = field(default_factory=list)
    hot: list[HotItem] = field(default_factory=list)

    @property
    def waiting_total(self) -> int:
        return sum(item.count for item in self.waiting)

    @property
    def groups(self) -> list[NoteGroup]:
        """Notifications by kind, in the registry's order."""
        return [
            NoteGroup(kind.label, [n for n in self.notes if n.kind == code])
            for code, kind in KINDS.items()
            if any(n.kind == code for n in self.notes)
        ]

    @property
    def numerals(self) -> dict[str, str]:
        """一、二、三 for the sections present, in their order (waiting, notes, hot)."""
        present = [n for n, there in (("waiting", self.waiting), ("notes", self.notes),
                                      ("hot", self.hot)) if there]  # fmt: skip
        return {name: "一二三"[i] for i, name in enumerate(present)}

    @property
    def is_empty(self) -> bool:
        return not self.notes and not self.waiting and not self.hot


#: (role, label, states, url name): the queues a role works through.
QUEUES: list[tuple[str, str, tuple[str, ...], str]] = [
    (Role.EDITOR, "待受理的稿件", (State.SUBMITTED,), "office:triage"),
    (Role.EDITOR, "已受理待编辑、报签的稿件", (State.ACCEPTED,), "office:triage"),
    (Role.APPROVER, "待签发的稿件", (State.AWAITING_SIGN_OFF,), "office:sign_off_queue"),
]


def waiting_items(user: User) -> list[WaitingItem]:
    """What waits in the queues this user works, with counts (empty queues left out)."""
    items = []
    for role, label, states, url_name in QUEUES:
        if not user.has_role(role):
            continue
        count = Report.objects.filter(state__in=states).count()
        if count:
            items.append(WaitingItem(label, count, absolute(reverse(url_name))))
    return items


#: The weekly hot topics: how far back, the growth window, how many.
HOT_DAYS, HOT_WINDOW_DAYS, HOT_TOP = 30, 7, 5


def is_hot_topics_day(day: dt.date) -> bool:
    return day.weekday() == settings.NOTIFY_HOT_TOPICS_WEEKDAY


def wants_hot_topics(user: User, choices: dict[str, str]) -> bool:
    """Editors and leaders who have not switched 每周热点 off (``choices``: their deliveries)."""
    return choices["hot_topics"] != Delivery.OFF and user.has_role(*KINDS["hot_topics"].roles)


def hot_items(user: User) -> list[HotItem]:
    """This week's hottest topics as ``user`` may see them (titles follow access rules)."""
    from minyi.insights.hot import topics_for  # insights imports textlab: load lazily

    page = absolute(reverse("insights:hot_topics"))
    # Without a report the reader may open, the topic is named by its keywords only.
    return [
        HotItem(
            found.title or f"关于“{'、'.join(found.topic.keywords[:3])}”的话题",
            "、".join(found.topic.keywords[:5]),
            found.topic.size,
            found.topic.emerging,
            page,
        )
        for found in topics_for(user, days=HOT_DAYS, window_days=HOT_WINDOW_DAYS, top=HOT_TOP)
    ]


def build_digest(user: User, now: dt.datetime) -> Digest:
    notes = list(
        Notification.objects.for_user(user)
        .awaiting_digest()
        .filter(created_at__lte=now)
        .order_by("created_at", "id")
    )
    choices = Preference.objects.choices_for(user)
    waiting = waiting_items(user) if choices["action_needed"] != Delivery.OFF else []
    day = timezone.localdate(now)
    weekly = is_hot_topics_day(day) and wants_hot_topics(user, choices)
    hot = hot_items(user) if weekly else []
    return Digest(user, day, notes, waiting, hot)


def send_digest(user: User, now: dt.datetime | None = None) -> bool:
    """Send the user's digest for today on each channel unless empty or already sent.

    Each channel has its own key (user, day, channel), claimed in the same
    transaction as the sending: a retry after one channel failed sends only on
    that channel. The notifications are marked sent once a digest carried them,
    or at once when no channel can reach the user (they stay in the app).
    """
    now = now or clock.now()
    digest = build_digest(user, now)
    if digest.is_empty:
        return False
    reachable = [c for c in enabled_channels() if c.ready_for(user)]
    sent = False
    for channel in reachable:
        with transaction.atomic():
            if Dispatch.claim(f"digest:{user.pk}:{digest.day.isoformat()}:{channel.code}"):
                channel.send(render_digest(digest))
                sent = True
    if sent or not reachable:
        Notification.objects.filter(pk__in=[n.pk for n in digest.notes]).update(delivered_at=now)
    return sent


def digest_candidates(day: dt.date | None = None) -> list[User]:
    """Users with something for a digest: pending digest rows, a queue, this week's topics."""
    with_notes = Notification.objects.awaiting_digest().values("user_id")
    roles = {r for r, *_ in QUEUES}
    if day is not None and is_hot_topics_day(day):
        roles |= KINDS["hot_topics"].roles
    staff = RoleAssignment.objects.filter(role__in=roles).values("user_id")
    return list(
        User.objects.filter(is_active=True)
        .filter(Q(pk__in=with_notes) | Q(pk__in=staff))
        .order_by("pk")
    )


def send_digests(now: dt.datetime | None = None) -> int:
    """Send today's digest to everyone who has one; return how many went out."""
    now = now or clock.now()
    candidates = digest_candidates(timezone.localdate(now))
    return sum(1 for user in candidates if send_digest(user, now))
