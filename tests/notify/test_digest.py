"""The daily digest: what it says, in Chinese, plain and HTML, and that it goes once a day."""

from __future__ import annotations

import pytest

from minyi.notify.deliver import notify
from minyi.notify.digest import send_digests
from minyi.notify.kinds import Delivery
from minyi.notify.models import Notification, Preference
from tests.deadlines.helpers import at, when
from tests.factories import make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def digest_member(mailed_cast):
    for kind in ("report_status", "outcome"):
        Preference.objects.create(user=mailed_cast.member, kind=kind, delivery=Delivery.DIGEST)
    with when(at(2025, 11, 17, 15, 5)):
        notify(
            [mailed_cast.member],
            verb="accept",
            message="您的信息《甲》已被研究室受理。",
            url="/r/1/",
        )
    with when(at(2025, 11, 17, 16, 40)):
        notify([mailed_cast.member], verb="adopt", message="好消息：您的信息《乙》被市委采用。")
    return mailed_cast.member


def test_it_gathers_the_days_digest_notifications_by_kind_in_one_email(digest_member, outbox):
    with when(at(2025, 11, 18, 8, 30)):
        assert send_digests() >= 1
    [message] = [m for m in outbox if m.to == ["member@example.org"]]
    assert message.subject == "【示范市政协】2025年11月18日每日汇总：2 条通知"
    body = message.body
    assert "以下是2025年11月18日的社情民意信息工作每日汇总。" in body
    assert "【我的信息进展】" in body and "【采用和批示】" in body
    assert "11月17日 15:05  您的信息《甲》已被研究室受理。" in body
    assert body.index("【我的信息进展】") < body.index("【采用和批示】")
    html, _ = message.alternatives[0]
    assert '<a href="http://127.0.0.1:8000/r/1/">您的信息《甲》已被研究室受理。</a>' in html
    assert "好消息：您的信息《乙》被市委采用。" in html
    assert not Notification.objects.awaiting_digest().filter(user=digest_member).exists()


def test_it_sends_one_digest_a_day_however_often_the_job_runs(digest_member, outbox):
    with when(at(2025, 11, 18, 8, 30)):
        send_digests()
    with when(at(2025, 11, 18, 9, 0)):
        notify([digest_member], verb="accept", message="您的信息《丙》已被研究室受理。")
        send_digests()
    assert len([m for m in outbox if m.to == ["member@example.org"]]) == 1
    # What came after today's digest waits for tomorrow's.
    with when(at(2025, 11, 19, 8, 30)):
        send_digests()
    mine = [m for m in outbox if m.to == ["member@example.org"]]
    assert len(mine) == 2 and "《丙》" in mine[1].body and "《甲》" not in mine[1].body


def test_it_lists_what_waits_in_the_staffs_queues(mailed_cast, outbox):
    with when(at(2025, 11, 17, 10, 0)):
        make_report(mailed_cast, state="submitted")
        make_report(mailed_cast, state="submitted", title="关于规范校外培训的建议")
    with when(at(2025, 11, 18, 8, 30)):
        send_digests()
    [message] = [m for m in outbox if m.to == ["editor@example.org"]]
    assert "一、待您处理" in message.body
    assert "· 待受理的稿件：2 项（http://127.0.0.1:8000/office/triage/）" in message.body
    assert "2 项待办" in message.subject
    # Nobody waits on the approver and the member chose nothing for the digest: no email.
    assert not [m for m in outbox if m.to in (["approver@example.org"], ["member@example.org"])]


def test_it_leaves_the_queue_out_for_staff_who_switched_it_off(mailed_cast, outbox):
    Preference.objects.create(user=mailed_cast.editor, kind="action_needed", delivery=Delivery.OFF)
    with when(at(2025, 11, 17, 10, 0)):
        make_report(mailed_cast, state="submitted")
    with when(at(2025, 11, 18, 8, 30)):
        send_digests()
    assert not [m for m in outbox if m.to == ["editor@example.org"]]
