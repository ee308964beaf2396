"""Terms (届) a member serves in, and appointments as information officer (特约信息员).

``TermMembership`` keeps who served in which term and when they joined and left: a
换届 (``duties.terms.do_change_term``) opens the new term's memberships for the members
who continue and closes the others' old ones, so no history is lost. An
``OfficerAppointment`` holds one period of service with its letter numbers; the
information officer's duties apply only while appointed (``appointed_months``).
``Member.is_information_officer`` mirrors "appointed today" for the role checks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db import models


class TermMembership(models.Model):
    term = models.ForeignKey(
        "people.Term", verbose_name="届次", on_delete=models.PROTECT, related_name="memberships"
    )
    member = models.ForeignKey(
        "people.Member",
        verbose_name="委员",
        on_delete=models.PROTECT,
        related_name="term_memberships",
    )
    joined_on = models.DateField("任职日期")
    left_on = models.DateField("离任日期", null=True, blank=True)
    note = models.CharField("说明", max_length=100, blank=True)

    class Meta:
        verbose_name = "届次任职"
        verbose_name_plural = "届次任职"
        ordering = ["term", "member_id"]
        constraints = [
            models.UniqueConstraint(fields=["term", "member"], name="unique_term_membership")
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.term}"


class OfficerAppointment(models.Model):
    member = models.ForeignKey(
        "people.Member",
        verbose_name="委员",
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    appointed_on = models.DateField("聘任日期")
    letter_number = models.CharField("聘任文号", max_length=60)
    removed_on = models.DateField("解聘日期", null=True, blank=True)
    removal_letter = models.CharField("解聘文号", max_length=60, blank=True)
    removal_reason = models.CharField("解聘原因", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "特约信息员聘任"
        verbose_name_plural = "特约信息员聘任"
        ordering = ["-appointed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.member}（{self.letter_number}）"

    def held_on(self, day: dt.date) -> bool:
        return self.appointed_on <= day and (self.removed_on is None or day < self.removed_on)

    def months_in(self, year: int) -> set[int]:
        """The months of ``year`` with at least one day of this appointment."""
        first = max(self.appointed_on, dt.date(year, 1, 1))
        last = (
            min(self.removed_on - dt.timedelta(days=1), dt.date(year, 12, 31))
            if (self.removed_on)
            else dt.date(year, 12, 31)
        )
        if first > last:
            return set()
        return set(range(first.month, last.month + 1))


def appointed_months(year: int, member_ids: Iterable[int] | None = None) -> dict[int, set[int]]:
    """Member id → the months of ``year`` they served as information officer.

    From the appointments; a member flagged as officer with no appointment on record
    (data from before appointments were kept) serves every month. One query.
    """
    from minyi.people.models import Member

    rows = Member.objects.filter(
        models.Q(is_information_officer=True) | models.Q(appointments__isnull=False)
    )
    if member_ids is not None:
        rows = rows.filter(pk__in=list(member_ids))
    found: dict[int, set[int]] = {}
    fields = ("pk", "appointments__appointed_on", "appointments__removed_on")
    for pk, appointed_on, removed_on in rows.values_list(*fields).distinct():
        if appointed_on is None:
            found[pk] = set(range(1, 13))
            continue
        period = OfficerAppointment(appointed_on=appointed_on, removed_on=removed_on)
        months = period.months_in(year)
        if months:
            found.setdefault(pk, set()).update(months)
    return found
