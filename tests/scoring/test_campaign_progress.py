"""A campaign's progress counts matching reports that were accepted; the page shows both numbers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from minyi.reports.models import Category, State, Topic
from minyi.scoring.campaigns import progress
from minyi.scoring.models import Campaign, CampaignUnit
from tests.factories import make_report


def _campaign(cast, **kw) -> Campaign:
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        name="养老信息月",
        kind="month",
        starts_on=today - dt.timedelta(days=3),
        ends_on=today + dt.timedelta(days=3),
        multiplier=Decimal("1.00"),
        **kw,
    )
    CampaignUnit.objects.create(campaign=campaign, unit=cast.unit, quota=2)
    return campaign


def _topic(cast) -> Topic:
    today = timezone.localdate()
    return Topic.objects.create(
        title="社区嵌入式养老",
        opens_on=today,
        closes_on=today,
        published=True,
        created_by=cast.editor,
    )


@pytest.mark.django_db
def test_only_accepted_matching_reports_meet_the_quota(cast):
    campaign = _campaign(cast)
    campaign.categories.add(cast.category.parent)  # a first-level category holds its children
    for state in (State.ACCEPTED, State.AWAITING_SIGN_OFF, State.DECLINED, State.WITHDRAWN):
        make_report(cast, state=state)
    make_report(cast, state=State.SUBMITTED)
    other = Category.objects.create(name="交通出行")
    off_theme = make_report(cast, state=State.ACCEPTED)
    off_theme.category = other
    off_theme.save(update_fields=["category"])

    [row] = progress(campaign)
    # submitted, accepted, awaiting sign-off and declined match; withdrawn and off-theme do not.
    assert (row.submitted, row.accepted) == (4, 2)
    assert row.done and row.percent == 100


@pytest.mark.django_db
def test_a_report_written_from_a_campaign_topic_counts_whatever_its_category(cast):
    topic = _topic(cast)
    campaign = _campaign(cast)
    campaign.guide_topics.add(topic)
    campaign.categories.add(Category.objects.create(name="生态环境"))
    tagged = make_report(cast, state=State.ACCEPTED)
    tagged.topic = topic
    tagged.save(update_fields=["topic"])
    make_report(cast, state=State.ACCEPTED)  # 养老服务: neither the topic nor the category

    [row] = progress(campaign)
    assert (row.submitted, row.accepted) == (1, 1)
    assert not row.done and row.percent == 50


@pytest.mark.django_db
def test_a_campaign_naming_no_theme_counts_every_accepted_report(cast):
    campaign = _campaign(cast)
    make_report(cast, state=State.ACCEPTED)
    make_report(cast, state=State.DECLINED)
    [row] = progress(campaign)
    assert (row.submitted, row.accepted) == (2, 1)


@pytest.mark.django_db
def test_the_page_shows_submitted_and_accepted(cast, client_for):
    campaign = _campaign(cast)
    make_report(cast, state=State.ACCEPTED)
    make_report(cast, state=State.DECLINED)
    page = client_for(cast.editor).get(reverse("scoring:campaign", args=[campaign.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert '<td data-label="已报送">2</td>' in html
    assert '<td data-label="已受理">1</td>' in html
    assert "活动期间报送的全部信息" in html


@pytest.mark.django_db
def test_the_editor_sets_what_counts_and_a_liaison_cannot(cast, client_for):
    topic = _topic(cast)
    data = {
        "name": "养老信息月",
        "kind": "month",
        "starts_on": "2026-05-01",
        "ends_on": "2026-05-31",
        "multiplier": "1.00",
        "categories": [cast.category.pk],
        "guide_topics": [topic.pk],
        f"quota_{cast.unit.pk}": "3",
    }
    refused = client_for(cast.liaison).post(reverse("scoring:campaign_new"), data)
    assert refused.status_code in (302, 403)
    assert not Campaign.objects.exists()

    bad = client_for(cast.editor).post(
        reverse("scoring:campaign_new"), {**data, "guide_topics": ["99999"]}
    )
    assert "所选选题不存在" in bad.content.decode()
    assert not Campaign.objects.exists()

    saved = client_for(cast.editor).post(reverse("scoring:campaign_new"), data)
    assert saved.status_code == 302
    campaign = Campaign.objects.get()
    assert list(campaign.categories.all()) == [cast.category]
    assert list(campaign.guide_topics.all()) == [topic]
