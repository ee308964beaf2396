"""The admins' daily digest carries the chain anchor, as the line verify_events reads."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import call_command

from minyi.audit.anchors import parse_anchor, read_anchors
from minyi.audit.models import Event
from minyi.notify.digest import send_digests
from minyi.people.models import Role
from tests.deadlines.helpers import at, when
from tests.factories import make_report, make_user


@pytest.fixture
def admin(cast):
    return make_user("admin", Role.ADMIN, email="admin@example.org", display_name="系统管理员")


def mails_to(address: str) -> list[mail.EmailMessage]:
    return [m for m in mail.outbox if m.to == [address]]


def test_every_admin_gets_todays_anchor_line_in_the_digest(cast, admin, settings):
    root = make_user("root", is_superuser=True, email="root@example.org")
    cast.leader.email = "leader@example.org"
    cast.leader.save(update_fields=["email"])
    with when(at(2025, 11, 18, 0, 30)):
        make_report(cast, state="submitted")
        call_command("anchor_events")
    (anchor,) = read_anchors(settings.CHAIN_ANCHOR_FILE)
    mail.outbox.clear()
    with when(at(2025, 11, 18, 8, 30)):
        send_digests()
    for address in ("admin@example.org", "root@example.org"):
        (message,) = mails_to(address)
        assert "事件链锚点" in message.subject
        assert f"链头：事件 #{anchor.event_id}，共 {anchor.count} 条事件" in message.body
        assert "2025-11-18 00:30" in message.body
        # The line pasted into a file is an anchor verify_events accepts.
        (line,) = [text for text in message.body.splitlines() if text.strip().startswith("{")]
        assert parse_anchor(line.strip(), "邮件中") == anchor
        html, _ = message.alternatives[0]
        assert anchor.hash in html
    assert root.has_role(Role.ADMIN)
    # Not for anyone else.
    assert all("事件链锚点" not in m.body for m in mails_to("leader@example.org"))


def test_a_stale_anchor_file_is_said_and_the_current_head_sent(cast, admin):
    with when(at(2025, 11, 10, 0, 30)):
        make_report(cast, state="submitted")
        call_command("anchor_events")
    with when(at(2025, 11, 18, 8, 30)):
        make_report(cast, title="后来的一篇", state="submitted")
        mail.outbox.clear()
        send_digests()
    (message,) = mails_to("admin@example.org")
    assert "锚点文件近两天没有新的记录" in message.body
    newest = Event.objects.order_by("-id").first()
    assert f"事件 #{newest.pk}" in message.body and newest.hash in message.body


def test_no_events_means_no_anchor_section(db, admin):
    with when(at(2025, 11, 18, 8, 30)):
        send_digests()
    assert all("事件链锚点" not in m.body for m in mails_to("admin@example.org"))
