"""The hash chain's daily anchor (事件链锚点) in the admins' digest.

The anchor job writes the chain head to a file outside the database; this
section mails the newest line of that file to every admin each day, so a second
copy sits in mailboxes the database's administrators cannot rewrite. The line is
shown exactly as in the file: pasted into a file of its own, it is what
``manage.py verify_events --anchors`` reads. When the file has no anchor from
the last two days (the job is not running, or the file was lost), the section
says so and carries the chain head as it is now.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone

from minyi.audit.anchors import Anchor, anchor_file, chain_head, latest_anchor
from minyi.core import clock
from minyi.notify.digest import register_section
from minyi.people.models import Role

if TYPE_CHECKING:
    from minyi.people.models import User

#: An anchor older than this means the daily job has stopped.
STALE_AFTER = dt.timedelta(days=2)


@dataclass(frozen=True)
class AnchorItem:
    anchor: Anchor
    taken_at: str  # local time, for people
    file: str
    #: None when the anchor is the file's newest line; else why it is not.
    warning: str | None


def _taken_at(anchor: Anchor) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(anchor.at)
    except ValueError:
        return None


def anchor_items(user: User) -> list[AnchorItem]:
    """Today's anchor for an admin (the section's audience is admins only)."""
    path = anchor_file()
    anchor, warning = latest_anchor(path), None
    taken = _taken_at(anchor) if anchor else None
    if taken is None or clock.now() - taken > STALE_AFTER:
        warning = (
            "锚点文件近两天没有新的记录，请检查后台任务“事件链锚点”和锚点文件；以下为当前链头。"
        )
        anchor = chain_head()
        taken = clock.now()
    if anchor is None:
        return []
    local = timezone.localtime(taken).strftime("%Y-%m-%d %H:%M")
    return [AnchorItem(anchor, local, str(path), warning)]


register_section(
    "chain_anchor",
    title="事件链锚点",
    kind=None,
    roles=frozenset({Role.ADMIN}),
    is_due=lambda day: True,
    items=anchor_items,
    template="insights/digest/anchor",
    subject="事件链锚点",
)
