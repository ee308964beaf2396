"""Outside anchors catch what the chain cannot: a history rewritten and rehashed, or cut short."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command, execute_from_command_line

from minyi.audit.anchors import chain_head, read_anchors, write_anchor
from minyi.audit.models import GENESIS_HASH, ChainHead, Event, verify_chain
from minyi.audit.tasks import anchor_events
from minyi.core.jobs import PERIODIC
from minyi.notify.worker import run_ready_tasks
from tests.factories import make_report


@pytest.fixture
def anchors(settings, tmp_path):
    settings.CHAIN_ANCHOR_FILE = tmp_path / "outside" / "anchors.jsonl"
    return settings.CHAIN_ANCHOR_FILE


@pytest.fixture
def anchored(cast, anchors):
    """A history anchored once, then more events after the anchor."""
    make_report(cast, state="accepted")
    call_command("anchor_events")
    make_report(cast, title="锚点之后的一篇", state="submitted")
    return anchors


def rehash_everything(edit=None) -> None:
    """What an attacker with database access does: change history, then recompute every hash."""
    prev = GENESIS_HASH
    for event in Event.objects.order_by("id"):
        if edit is not None:
            edit(event)
        event.prev_hash = prev
        event.hash = prev = event.compute_hash()
        Event.objects.filter(pk=event.pk).update(
            payload=event.payload, actor=event.actor_id, prev_hash=event.prev_hash, hash=event.hash
        )
    ChainHead.objects.filter(pk=1).update(last_hash=prev)


def verify(anchors_file=None) -> None:
    if anchors_file is None:
        call_command("verify_events")
    else:
        call_command("verify_events", anchors=str(anchors_file))


def test_anchor_events_appends_the_chain_head_as_one_json_line(cast, anchors, capsys):
    make_report(cast, state="submitted")
    call_command("anchor_events")
    last = Event.objects.order_by("-id").first()
    (line,) = anchors.read_text(encoding="utf-8").splitlines()
    data = json.loads(line)
    assert data["event_id"] == last.pk and data["hash"] == last.hash
    assert data["count"] == Event.objects.count()
    assert data["at"].endswith("+00:00")
    assert "已写入" in capsys.readouterr().out

    make_report(cast, title="又一篇", state="submitted")
    call_command("anchor_events")
    assert [a.event_id for a in read_anchors(anchors)] == [
        data["event_id"],
        Event.objects.order_by("-id").first().pk,
    ]


def test_an_empty_log_writes_no_anchor(db, anchors):
    assert chain_head() is None and write_anchor() is None
    assert not anchors.exists()


def test_an_untouched_chain_agrees_with_its_anchors(anchored, capsys):
    verify(anchored)
    assert "与 1 个锚点一致" in capsys.readouterr().out


def test_a_rewritten_and_rehashed_history_passes_the_chain_but_not_the_anchors(anchored):
    old = Event.objects.order_by("id").first()

    def forge(event):
        if event.pk == old.pk:
            event.payload = {**event.payload, "title": "被悄悄改过的标题"}

    rehash_everything(forge)
    # The chain alone is fooled: every link is consistent again.
    assert verify_chain() is None
    verify()
    with pytest.raises(CommandError, match="哈希与锚点不符：事件链在此处或之前被改写"):
        verify(anchored)


def test_a_chain_cut_short_fails_against_its_anchors(anchored):
    anchored_id = read_anchors(anchored)[0].event_id
    Event.objects.filter(pk__gte=anchored_id).delete()
    ChainHead.objects.filter(pk=1).update(last_hash=Event.objects.order_by("-id").first().hash)
    assert verify_chain() is None
    with pytest.raises(CommandError, match="事件链被截断"):
        verify(anchored)


def test_a_failed_check_exits_non_zero_with_a_chinese_message(anchored, capsys):
    rehash_everything(lambda event: setattr(event, "actor_id", None))
    with pytest.raises(SystemExit) as exited:
        execute_from_command_line(["manage.py", "verify_events", "--anchors", str(anchored)])
    assert exited.value.code != 0
    assert "事件链与锚点不符" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json\n", "锚点文件第 1 行不是有效的锚点记录"),
        ('{"event_id": 1, "hash": "abc", "count": 1}\n', "哈希长度不对"),
        ("\n\n", "没有锚点记录"),
    ],
)
def test_a_bad_anchor_file_is_refused_in_chinese(anchored, tmp_path, content, message):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        verify(bad)
    with pytest.raises(CommandError, match="不存在"):
        verify(tmp_path / "missing.jsonl")


def test_the_worker_anchors_daily(cast, anchors):
    assert PERIODIC["anchor_events"].task is anchor_events
    assert PERIODIC["anchor_events"].every == "每天 00:30"
    make_report(cast, state="submitted")
    anchor_events.enqueue()
    assert run_ready_tasks("worker-1") == 1
    (anchor,) = read_anchors(anchors)
    assert anchor.hash == Event.objects.order_by("-id").first().hash
