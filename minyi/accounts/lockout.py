"""Lockout after repeated login failures, per account and per client address (django-axes).

axes counts failures in ``AccessAttempt`` rows keyed by (username, IP, user
agent) and compares one number with one limit. An office behind one NAT address
should not be locked out by five typos of five colleagues, so the address gets
its own, higher limit: ``LockoutHandler.get_failures`` reports how far the
nearest of the two limits has been reached, in units of the account limit.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt, AccessFailureLog
from axes.utils import reset
from django.conf import settings
from django.db import models, transaction
from django.db.models import Max, QuerySet, Sum
from django.http import HttpRequest

from minyi.audit.models import record
from minyi.audit.verbs import Verb
from minyi.core import clock
from minyi.people.models import User


def cooloff(request: HttpRequest | None = None) -> dt.timedelta:
    """``AXES_COOLOFF_TIME``: read at call time so tests and deployers can change it."""
    return dt.timedelta(minutes=settings.MINYI_LOGIN_COOLOFF_MINUTES)


def failure_limit(request: HttpRequest | None = None, credentials: dict | None = None) -> int:
    """``AXES_FAILURE_LIMIT``: the account limit, read at call time like the cool-off."""
    return settings.MINYI_LOGIN_FAILURE_LIMIT


class LockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        # axes locks when this value reaches AXES_FAILURE_LIMIT (the account limit).
        # With parameters ["username", "ip_address"] the querysets come in that order.
        limits = [settings.MINYI_LOGIN_FAILURE_LIMIT, settings.MINYI_LOGIN_IP_FAILURE_LIMIT]
        counts = [_failures(qs) for qs in self.get_user_attempts(request, credentials)]
        margin = max(count - limit for count, limit in zip(counts, limits, strict=False))
        return settings.MINYI_LOGIN_FAILURE_LIMIT + margin


def _failures(attempts: QuerySet[AccessAttempt]) -> int:
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


@dataclass(frozen=True)
class Lock:
    """What is locked for a login from ``ip`` as ``username``, and for how long yet."""

    account: bool
    address: bool
    minutes_left: int

    @property
    def locked(self) -> bool:
        return self.account or self.address

    @property
    def message(self) -> str:
        whom = "账号" if self.account else "该网络地址"
        return (
            f"登录失败次数过多，{whom}已锁定。请于 {self.minutes_left} 分钟后再试或联系管理员解锁。"
        )


def lock_for(username: str | None, ip: str | None) -> Lock:
    """Read the counters the way axes does: failures within the cool-off window."""
    since = clock.now() - cooloff()
    recent = AccessAttempt.objects.filter(attempt_time__gte=since)
    by_account = recent.filter(username=username) if username else recent.none()
    by_address = recent.filter(ip_address=ip) if ip else recent.none()
    account = _failures(by_account) >= settings.MINYI_LOGIN_FAILURE_LIMIT
    address = _failures(by_address) >= settings.MINYI_LOGIN_IP_FAILURE_LIMIT
    last = (by_account if account else by_address).aggregate(t=Max("attempt_time"))["t"]
    left = (last + cooloff() - clock.now()).total_seconds() if last else 0
    return Lock(account=account, address=address, minutes_left=max(1, math.ceil(left / 60)))


@dataclass(frozen=True)
class LockedEntry:
    """One row of the admin's list: an account or an address that is locked now."""

    kind: str  # "account" or "address"
    value: str
    failures: int
    last_attempt: dt.datetime
    minutes_left: int


def locked_entries() -> list[LockedEntry]:
    since = clock.now() - cooloff()
    recent = AccessAttempt.objects.filter(attempt_time__gte=since)
    entries = []
    for kind, field, limit in (
        ("account", "username", settings.MINYI_LOGIN_FAILURE_LIMIT),
        ("address", "ip_address", settings.MINYI_LOGIN_IP_FAILURE_LIMIT),
    ):
        rows = (
            recent.exclude(**{f"{field}__isnull": True})
            .values(field)
            .annotate(n=Sum("failures_since_start"), last=Max("attempt_time"))
            .filter(n__gte=limit)
            .order_by("-last")
        )
        for row in rows:
            left = (row["last"] + cooloff() - clock.now()).total_seconds()
            entries.append(
                LockedEntry(kind, row[field], row["n"], row["last"], max(1, math.ceil(left / 60)))
            )
    return entries


def subject_of(username: str | None, ip: str | None) -> models.Model:
    """What a login event is about: the account when the name is one, else the failure on record.

    ``record()`` needs a row. A name nobody has gets the axes ``AccessFailureLog``
    row of this very attempt (one per failure, kept when a lock is lifted, so the
    event keeps pointing at something real); with axes switched off there is none
    and one is written here.
    """
    user = User.objects.filter(username=username).first() if username else None
    if user is not None:
        return user
    found = AccessFailureLog.objects.filter(ip_address=ip) if ip else AccessFailureLog.objects
    if username:
        found = found.filter(username=username)
    failure = found.order_by("-id").first() if (username or ip) else None
    return failure or AccessFailureLog.objects.create(
        username=(username or "")[:150], ip_address=ip, user_agent="", http_accept="", path_info=""
    )


def do_unlock(actor: User, kind: str, value: str) -> int:
    """Lift the lock on an account (``kind="account"``) or an address; one ``unlock`` event."""
    if kind not in ("account", "address"):
        raise ValueError(kind)
    username, ip = (value, None) if kind == "account" else (None, value)
    with transaction.atomic():
        subject = subject_of(username, ip)
        cleared = reset(username=username) if username else reset(ip=ip)
        record(
            Verb.UNLOCK,
            subject,
            actor=actor,
            payload={"kind": kind, "value": value, "cleared": cleared},
        )
    return cleared
