from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from minyi.audit.models import Event, verify_chain
from tests.factories import make_report


@pytest.fixture
def history(cast):
    make_report(cast, state="accepted")
    return list(Event.objects.order_by("id"))


def test_it_links_every_event_to_the_one_before(history):
    assert history[0].prev_hash == "0" * 64
    for before, after in zip(history, history[1:], strict=False):
        assert after.prev_hash == before.hash
    assert verify_chain() is None


def test_it_names_the_first_edited_event(history):
    target = history[1]
    # Tamper the way an attacker with database access would: a raw UPDATE.
    Event.objects.filter(pk=target.pk).update(payload={"from": "draft", "to": "declined"})
    broken = verify_chain()
    assert broken is not None
    assert broken.event_id == target.pk
    assert "被修改" in broken.reason


def test_it_notices_a_deleted_event(history):
    Event.objects.filter(pk=history[1].pk).delete()
    broken = verify_chain()
    assert broken is not None
    assert broken.event_id == history[2].pk


def test_it_notices_the_last_event_deleted(history):
    Event.objects.filter(pk=history[-1].pk).delete()
    broken = verify_chain()
    assert broken is not None
    assert "链尾" in broken.reason or broken.event_id == 0


def test_verify_events_command_reports_success_and_failure(history, capsys):
    call_command("verify_events")
    assert f"共 {len(history)} 条事件" in capsys.readouterr().out
    Event.objects.filter(pk=history[0].pk).update(verb="decline")
    with pytest.raises(CommandError, match=f"事件 #{history[0].pk}"):
        call_command("verify_events")
