"""Batch registration: one adoption for several ticked forwardings, in one transaction."""

from __future__ import annotations

import pytest
from django.urls import reverse

from minyi.audit.models import Event
from minyi.notify.models import Notification
from minyi.outcomes.actions import do_record_adoption
from minyi.outcomes.models import Adoption, Forwarding, ForwardingState
from tests.factories import days_ago, make_report, settle

pytestmark = pytest.mark.django_db
BATCH = reverse("outcomes:batch_adopt")


@pytest.fixture
def three(cast):
    """Three reports by three authors, each with its forwarding to 全国政协."""
    authors = [
        (cast.member, cast.unit),
        (cast.officer, cast.unit),
        (cast.outsider, cast.other_unit),
    ]
    reports = [
        make_report(cast, by=by, unit=unit, state="published", title=f"第{n}篇建议")
        for n, (by, unit) in enumerate(authors, start=1)
    ]
    return [r.forwardings.get(recipient=cast.recipients[0]) for r in reports]


def data(forwardings, **overrides):
    return {
        "ids": [str(f.pk) for f in forwardings],
        "kind": "combined",
        "carrier": "全国政协《社情民意信息》第 7 期",
        "adopted_on": days_ago(0).isoformat(),
        "next": reverse("outcomes:pending"),
        **overrides,
    }


def test_it_records_one_adoption_for_every_ticked_forwarding(
    cast, client_for, three, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast.editor).post(BATCH, data(three), follow=True)
    assert "已为 3 条报送记录登记采用（综合采用）" in response.content.decode()
    assert set(
        Forwarding.objects.filter(pk__in=[f.pk for f in three]).values_list("state", flat=True)
    ) == {ForwardingState.ADOPTED}
    assert Adoption.objects.filter(carrier="全国政协《社情民意信息》第 7 期").count() == 3
    # One event per forwarding, so each report's authors are told and credited.
    events = Event.objects.filter(verb="adopt")
    assert sorted(events.values_list("object_id", flat=True)) == sorted(str(f.pk) for f in three)
    settle()
    for user in (cast.member, cast.officer, cast.outsider):
        assert Notification.objects.filter(user=user, verb="adopt").count() == 1


def test_one_refused_forwarding_leaves_all_of_them_unchanged(cast, client_for, three):
    do_record_adoption(three[1], cast.editor, kind="single", adopted_on=days_ago(0))
    before = Event.objects.count()
    response = client_for(cast.editor).post(BATCH, data(three), follow=True)
    page = response.content.decode()
    assert "未登记（全部未保存）" in page and "第2篇建议" in page
    assert Adoption.objects.count() == 1
    assert Forwarding.objects.get(pk=three[0].pk).state == ForwardingState.PENDING
    assert Event.objects.count() == before


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ids": []}, "请先勾选要登记采用的报送记录"),
        ({"kind": ""}, "请选择采用类型"),
        ({"adopted_on": "明天"}, "采用日期格式不正确"),
        ({"adopted_on": days_ago(-3).isoformat()}, "采用日期不能晚于今天"),
        ({"ids": ["987654"]}, "有的已不存在或您无权查看"),
    ],
    ids=["nothing-ticked", "no-kind", "bad-date", "future", "unknown-id"],
)
def test_it_refuses_bad_input_and_stores_nothing(cast, client_for, three, overrides, message):
    before = Event.objects.count()
    response = client_for(cast.editor).post(BATCH, data(three, **overrides), follow=True)
    assert message in response.content.decode()
    assert not Adoption.objects.exists() and Event.objects.count() == before


def test_it_answers_400_to_ids_that_are_not_numbers(cast, client_for, three):
    response = client_for(cast.editor).post(BATCH, data(three, ids=["1; drop"]))
    assert response.status_code == 400
    assert not Adoption.objects.exists()


@pytest.mark.parametrize("name", ["member", "officer", "liaison", "approver", "leader", "outsider"])
def test_it_refuses_batch_registration_to_everyone_but_editors(cast, client_for, three, name):
    before = Event.objects.count()
    response = client_for(getattr(cast, name)).post(BATCH, data(three))
    assert response.status_code == 403
    assert not Adoption.objects.exists() and Event.objects.count() == before


def test_the_register_page_offers_the_batch_form(cast, client_for, three):
    page = client_for(cast.editor).get(reverse("outcomes:pending")).content.decode()
    assert f'id="pick-{three[0].pk}"' in page and "为所选登记采用" in page
    assert 'data-check-all="ids"' in page
