"""The daily digest: what it says, in Chinese, plain and HTML, and that it goes once a day."""

from __future__ import annotations

import pytest
from django.core.cache import cache

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


ELDERLY = [
    ("东湖区", "社区养老服务设施不足，老年人助餐和日间照料需求大"),
    ("西山区", "社区养老服务设施短缺，老年人日间照料和助餐难"),
    ("南岭县", "老年人社区养老服务设施不足，助餐和照料服务跟不上"),
    ("北港区", "社区养老服务设施缺口大，老年人日间照料助餐需求多"),
]


@pytest.fixture
def elderly_topic(mailed_cast):
    """Four reports on one matter in the week before Monday 2025-11-17."""
    cache.clear()  # the hot-topics page caches its clusters
    with when(at(2025, 11, 13, 10, 0)):
        for place, text in ELDERLY:
            make_report(
                mailed_cast,
                state="submitted",
                title=f"关于{place}{text[:8]}的建议",
                situation=f"{place}{text}。居民反映强烈。",
                suggestions=f"建议解决{text[:6]}。",
            )
    yield
    cache.clear()


def _mail_to(outbox, user):
    return [m for m in outbox if m.to == [user.email]]


def test_mondays_digest_gives_editors_and_leaders_the_weeks_hot_topics(
    mailed_cast, elderly_topic, outbox
):
    with when(at(2025, 11, 17, 8, 30)):  # a Monday
        send_digests()
    [leader_mail] = _mail_to(outbox, mailed_cast.leader)
    assert "本周热点 1 个" in leader_mail.subject
    assert "、本周热点（近 30 天）" in leader_mail.body
    # The leader may not read unpublished reports: the topic is named by its keywords.
    assert "1. 关于“社区、养老服务" in leader_mail.body and "（4 篇" in leader_mail.body
    assert "http://127.0.0.1:8000/insights/hot/" in leader_mail.body
    html, _ = leader_mail.alternatives[0]
    assert "本周热点（近 30 天）" in html and "养老" in html
    [editor_mail] = _mail_to(outbox, mailed_cast.editor)
    assert "一、待您处理" in editor_mail.body and "二、本周热点" in editor_mail.body
    assert any(f"1. 关于{place}" in editor_mail.body for place, _ in ELDERLY)
    assert "（4 篇" in editor_mail.body
    # Members write the reports; the weekly topics are for the office and leaders.
    assert "本周热点" not in "".join(m.body for m in _mail_to(outbox, mailed_cast.member))


def test_other_days_digests_carry_no_hot_topics(mailed_cast, elderly_topic, outbox):
    with when(at(2025, 11, 18, 8, 30)):  # a Tuesday
        send_digests()
    assert not _mail_to(outbox, mailed_cast.leader)
    assert all("本周热点" not in m.body for m in outbox)


def test_an_editor_who_switched_hot_topics_off_does_not_get_them(
    mailed_cast, elderly_topic, outbox
):
    Preference.objects.create(user=mailed_cast.editor, kind="hot_topics", delivery=Delivery.OFF)
    with when(at(2025, 11, 17, 8, 30)):
        send_digests()
    [editor_mail] = _mail_to(outbox, mailed_cast.editor)
    assert "本周热点" not in editor_mail.body and "待受理的稿件" in editor_mail.body
    assert "本周热点" in _mail_to(outbox, mailed_cast.leader)[0].body
