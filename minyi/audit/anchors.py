"""The hash chain's outside anchors: the chain head, written down where the database cannot reach.

``verify_chain()`` proves that no event was changed *unless* whoever changed it
recomputed every later hash too, which anyone with write access to the database
can do. So once a day the head of the chain (the newest event's id and hash,
how many events there are up to it, and when) is appended as one JSON line to a
file outside the database (``MINYI_CHAIN_ANCHOR_FILE``) and sent to the admins
in their daily digest. A chain rewritten after an anchor was taken no longer
has the anchored hash at the anchored id; a chain cut short no longer has the
anchored event. ``manage.py verify_events --anchors FILE`` checks both, after
the chain itself verifies.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings

from minyi.audit.models import Event
from minyi.core import clock


@dataclass(frozen=True)
class Anchor:
    """The chain head at one moment: the newest event, its hash, the events up to it."""

    event_id: int
    hash: str
    count: int
    at: str  # ISO 8601 with the offset, when the anchor was taken

    def line(self) -> str:
        """The anchor as one line of the anchor file (what the digest shows too)."""
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)


class AnchorFileError(ValueError):
    """The anchor file cannot be read; the message says where, in Chinese."""


def anchor_file() -> Path:
    return Path(settings.CHAIN_ANCHOR_FILE)


def chain_head(now: dt.datetime | None = None) -> Anchor | None:
    """The head of the chain now, or None while the log is empty."""
    last = Event.objects.order_by("-id").values("id", "hash").first()
    if last is None:
        return None
    # Counted up to the head's id, not "all": an event appended meanwhile is not counted.
    count = Event.objects.filter(id__lte=last["id"]).count()
    at = (now or clock.now()).astimezone(dt.UTC).isoformat(timespec="seconds")
    return Anchor(event_id=last["id"], hash=last["hash"], count=count, at=at)


def write_anchor(path: Path | None = None, now: dt.datetime | None = None) -> Anchor | None:
    """Append the chain head to the anchor file (created with its folder); None if no events."""
    anchor = chain_head(now)
    if anchor is None:
        return None
    path = path or anchor_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as out:
        out.write(anchor.line() + "\n")
        out.flush()
        # A head that only reached the page cache is not an outside record yet.
        os.fsync(out.fileno())
    return anchor


def parse_anchor(text: str, where: str) -> Anchor:
    try:
        data = json.loads(text)
        anchor = Anchor(
            event_id=int(data["event_id"]),
            hash=str(data["hash"]),
            count=int(data["count"]),
            at=str(data.get("at", "")),
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise AnchorFileError(f"{where}不是有效的锚点记录：{exc}") from None
    if len(anchor.hash) != 64:
        raise AnchorFileError(f"{where}的哈希长度不对（应为 64 位十六进制）。")
    return anchor


def read_anchors(path: Path) -> list[Anchor]:
    """Every anchor in the file, in order; blank lines skipped, a bad line refused."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise AnchorFileError(f"锚点文件 {path} 不存在。") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise AnchorFileError(f"无法读取锚点文件 {path}：{exc}") from None
    return [
        parse_anchor(text, f"锚点文件第 {number} 行")
        for number, text in enumerate(lines, start=1)
        if text.strip()
    ]


def latest_anchor(path: Path | None = None) -> Anchor | None:
    """The last anchor written to the file, or None if there is no readable one."""
    try:
        anchors = read_anchors(path or anchor_file())
    except AnchorFileError:
        return None
    return anchors[-1] if anchors else None


@dataclass(frozen=True)
class AnchorBreak:
    anchor: Anchor
    reason: str


def _hashes(ids: list[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    for i in range(0, len(ids), 1000):  # bounded IN lists, for years of daily anchors
        chunk = ids[i : i + 1000]
        found.update(Event.objects.filter(pk__in=chunk).values_list("id", "hash"))
    return found


def check_anchors(anchors: list[Anchor]) -> AnchorBreak | None:
    """The first anchor the chain no longer holds, or None when it holds them all.

    Call after ``verify_chain()`` passed: a chain whose links all verify and that
    still has the anchored hash at the anchored id is, up to that id, the chain
    that was anchored (each hash covers every hash before it).
    """
    hashes = _hashes(sorted({anchor.event_id for anchor in anchors}))
    newest = Event.objects.order_by("-id").values_list("id", flat=True).first() or 0
    for anchor in anchors:
        found = hashes.get(anchor.event_id)
        if found is None and newest < anchor.event_id:
            reason = (
                f"事件链被截断：锚点记录的事件 #{anchor.event_id} 及其后的事件已不存在"
                f"（现在最后一条是 #{newest}）。"
            )
            return AnchorBreak(anchor, reason)
        if found is None:
            return AnchorBreak(anchor, f"锚点记录的事件 #{anchor.event_id} 已被删除。")
        if found != anchor.hash:
            reason = (
                f"事件 #{anchor.event_id} 的哈希与锚点不符：事件链在此处或之前被改写，"
                "并重新计算了哈希。"
            )
            return AnchorBreak(anchor, reason)
    return None
