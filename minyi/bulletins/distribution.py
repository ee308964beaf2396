"""分发登记: printing numbered copies of an issued issue and recording who holds each.

A print run takes the next free 份号 of the issue (never reusing one) and gives
copy k to the k-th holder listed, the rest staying unassigned (备用). The run is
on record as a ``download`` event (what ``issue_copies``) with its first and last
number; each copy's document downloaded later is a download event of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Max
from django.http import Http404

from minyi.audit.statemachine import ActionRefused
from minyi.audit.trail import record_download
from minyi.bulletins.models import Issue, IssueCopy, IssueState
from minyi.core import clock

if TYPE_CHECKING:
    from minyi.people.models import User

#: One print run at most: a bulletin's run is tens of copies, not thousands.
MAX_COPIES = 500
#: Holders not named get this label in the register.
SPARE = "备用"


@dataclass(frozen=True)
class PrintRun:
    first: int
    last: int

    @property
    def label(self) -> str:
        return f"第{self.first:06d}—{self.last:06d}号"


def may_distribute(user: User) -> bool:
    """The office (editors, approvers, admins) keeps the register; leaders only read issues."""
    return user.is_authenticated and user.is_active and user.is_office


def check_print_copies(issue: Issue, user: User, copies: int, holders: list[str]) -> None:
    if not may_distribute(user):
        raise ActionRefused("只有研究室（信息编辑、签发人、管理员）可以登记分发。")
    if issue.state != IssueState.ISSUED:
        raise ActionRefused("只有已印发的期次可以印制编号文件并登记分发。")
    if not 1 <= copies <= MAX_COPIES:
        raise ActionRefused(f"印制份数须在1至{MAX_COPIES}份之间。")
    if len(holders) > copies:
        raise ActionRefused(f"分发对象（{len(holders)}个）多于印制份数（{copies}份）。")


def do_print_copies(issue: Issue, user: User, copies: int, holders: list[str]) -> PrintRun:
    """Number ``copies`` new copies after the issue's last 份号 and record who gets each."""
    check_print_copies(issue, user, copies, holders)
    with transaction.atomic():
        # The issue row is the lock: two print runs at once still get disjoint numbers.
        locked = Issue.objects.select_for_update().get(pk=issue.pk)
        last = locked.copies.aggregate(last=Max("number"))["last"] or 0
        now = clock.now()
        IssueCopy.objects.bulk_create(
            IssueCopy(
                issue=locked,
                number=last + k,
                holder=holders[k - 1] if k <= len(holders) else "",
                printed_by=user,
                printed_at=now,
            )
            for k in range(1, copies + 1)
        )
        run = PrintRun(first=last + 1, last=last + copies)
        record_download(
            user, locked, what="issue_copies", name=f"{locked}{run.label}", copies=copies
        )
    return run


def get_copy_for(user: User, issue: Issue, number: int) -> IssueCopy:
    """A registered copy of an issue the user may already see; office only (404 otherwise)."""
    copy = issue.copies.filter(number=number).first() if may_distribute(user) else None
    if copy is None:
        raise Http404("没有找到该份号的登记。")
    return copy


def holders_from(text: str) -> list[str]:
    """One holder a line, blank lines dropped, spaces trimmed."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def default_holders(issue: Issue) -> list[str]:
    """主送 and 抄送 recipients, then the office's own file copy: the usual run."""
    names = [ir.recipient.name for ir in issue.issue_recipients.select_related("recipient")]
    return [*names, "研究室存档"]
