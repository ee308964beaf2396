"""The daily digest (每日汇总): one email a day with what the user chose to read that way.

It lists the notifications whose delivery is "daily digest" and, for staff who
have not switched 待我处理 off, how many items wait for them in each queue.
Other apps add sections of their own with ``register_section``: insights adds,
once a week, the hottest topics for editors and leaders who keep 每周热点.
Each user gets at most one digest per local day (a ``Dispatch`` key), and each
notification goes into one digest only (it is marked sent in the same
transaction), so running the job twice sends nothing more.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

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
class Section:
    """A section another app adds to the digest, after the notifications.

    It goes to users who hold one of ``kind``'s roles and have not switched that
    kind off, on the days ``is_due(day)`` says. A section with no ``kind`` cannot
    be switched off: it goes to everyone holding one of ``roles`` (the admins'
    daily chain anchor, which is worth something only if it arrives every day).
    ``items(user)`` is what the user reads (as they may see it; an empty list
    leaves the section out).
    ``template`` names the section's own ``<template>-body.txt`` and
    ``-body.html``, which render ``part.items``; ``subject`` is its part of the
    email's subject, with ``{count}`` for the number of items.
    """

    name: str
    title: str
    kind: str | None
    is_due: Callable[[dt.date], bool]
    items: Callable[[User], list[Any]]
    template: str
    subject: str
    roles: frozenset[str] = frozenset()

    @property
    def audience(self) -> frozenset[str]:
        """The roles the section is for."""
        return self.roles if self.kind is None else KINDS[self.kind].roles

    def wanted_by(self, user: User, choices: dict[str, str]) -> bool:
        """``choices``: the user's deliveries by kind."""
        if self.kind is not None and choices[self.kind] == Delivery.OFF:
            return False
        return user.has_role(*self.audience)


#: The extra sections, by name, in the order they appear.
SECTIONS: dict[str, Section] = {}


def register_section(
    name: str,
    *,
    title: str,
    kind: str | None,
    is_due: Callable[[dt.date], bool],
    items: Callable[[User], list[Any]],
    template: str,
    subject: str,
    roles: frozenset[str] = frozenset(),
) -> Section:
    """Add a digest section (called from the owning app's ``AppConfig.ready()``)."""
    if (kind is None) == (not roles):
        raise ValueError(f"Digest section {name!r}: give a kind or, without one, its roles")
    SECTIONS[name] = Section(name, title, kind, is_due, items, template, subject, roles)
    return SECTIONS[name]


@dataclass(frozen=True)
class SectionPart:
    """A section as it appears in one digest: its items and its numeral there."""

    section: Section
    items: list[Any]
    numeral: str

    @property
    def subject(self) -> str:
        return self.section.subject.format(count=len(self.items))

    @property
    def text_template(self) -> str:
        return f"{self.section.template}-body.txt"

    @property
    def html_template(self) -> str:
        return f"{self.section.template}-body.html"


@dataclass(frozen=True)
class WaitingItem:
    label: str
    count: int
    url: str


@dataclass(frozen=True)
class NoteGroup:
    label: str
    notes: list[Notification]


@dataclass
class Digest:
    user: User
    day: dt.date
    notes: list[Notification]
    waiting: list[WaitingItem] = field(default_factory=list)
    #: Each registered section's items for this user (empty: not in this digest).
    extra: dict[str, list[Any]] = field(default_factory=dict)

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
        """一、二、三… for the sections present, in their order (waiting, notes, the rest)."""
        parts = [("waiting", self.waiting), ("notes", self.notes), *self.extra.items()]
        present = [name for name, there in parts if there]
        return {name: "一二三四五六七八九十"[i] for i, name in enumerate(present)}

    @property
    def sections(self) -> list[SectionPart]:
        """The registered sections this digest carries, numbered."""
        numerals = self.numerals
        return [
            SectionPart(SECTIONS[name], items, numerals[name])
            for name, items in self.extra.items()
            if items
        ]

    @property
    def is_empty(self) -> bool:
        return not self.notes and not self.waiting and not any(self.extra.values())


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
    extra = {
        name: section.items(user)
        for name, section in SECTIONS.items()
        if section.is_due(day) and section.wanted_by(user, choices)
    }
    return Digest(user, day, notes, waiting, extra)


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
    """Users with something for a digest: pending digest rows, a queue, a section due today."""
    with_notes = Notification.objects.awaiting_digest().values("user_id")
    roles = {r for r, *_ in QUEUES}
    for section in SECTIONS.values():
        if day is not None and section.is_due(day):
            roles |= section.audience
    staff = RoleAssignment.objects.filter(role__in=roles).values("user_id")
    wanted = Q(pk__in=with_notes) | Q(pk__in=staff)
    if Role.ADMIN in roles:  # a superuser is an admin without a role assignment
        wanted |= Q(is_superuser=True)
    return list(User.objects.filter(is_active=True).filter(wanted).order_by("pk"))


def send_digests(now: dt.datetime | None = None) -> int:
    """Send today's digest to everyone who has one; return how many went out."""
    now = now or clock.now()
    candidates = digest_candidates(timezone.localdate(now))
    return sum(1 for user in candidates if send_digest(user, now))
