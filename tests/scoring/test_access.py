"""Who may open which scoring page: every role that must be refused is refused (403/404)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from minyi.audit.models import Event
from minyi.scoring.actions import do_create_notice, do_file_objection
from minyi.scoring.models import Campaign
from tests.factories import make_member, make_org, make_report, settle
from tests.scoring.helpers import make_admin, make_rules

pytestmark = pytest.mark.django_db
EVERYONE = ("member", "officer", "liaison", "editor", "approver", "leader", "outsider", "admin")


def but(*allowed: str) -> tuple[str, ...]:
    return tuple(name for name in EVERYONE if name not in allowed)


@pytest.fixture
def world(cast):
    make_rules()
    people = {**cast.everyone(), "admin": make_admin()}
    stranger = make_member("吴某", make_org("致公党市委"))
    campaign = Campaign.objects.create(
        name="信息月", kind="month", starts_on="2026-05-01", ends_on="2026-05-31"
    )
    campaign.quotas.create(unit=make_org("致公党市委"), quota=2)
    objection = do_file_objection(cast.member, year=2026, text="漏计一篇")
    notice = do_create_notice(cast.editor, 2026)
    return {
        "people": people,
        "stranger": stranger,
        "campaign": campaign,
        "objection": objection,
        "notice": notice,
        "cast": cast,
    }


PAGES = [
    # (url name, args from world, refused roles)
    ("scoring:rankings", None, but("liaison", "editor", "approver", "leader", "admin")),
    ("scoring:export", None, but("editor", "approver", "admin")),
    ("scoring:rules", None, but("editor", "approver", "admin")),
    ("scoring:rules_edit", None, but("admin")),
    ("scoring:objections", None, but("admin")),
    ("scoring:campaigns", None, ("member", "officer", "outsider")),
    ("scoring:campaign_new", None, but("editor", "admin")),
    ("scoring:notices", None, ("member", "officer", "liaison", "outsider")),
    ("scoring:notice", "notice", ("member", "officer", "liaison", "outsider")),
    ("scoring:notice_docx", "notice", ("member", "officer", "liaison", "outsider")),
]


@pytest.mark.parametrize(("name", "obj", "refused"), PAGES, ids=[p[0] for p in PAGES])
def test_it_refuses_every_role_that_must_not_see_the_page(world, client_for, name, obj, refused):
    args = [world[obj].pk] if obj else []
    for who in EVERYONE:
        status = client_for(world["people"][who]).get(reverse(name, args=args)).status_code
        if who in refused:
            assert status in (403, 404), (who, status)
        else:
            assert status == 200, (who, status)


def test_it_shows_a_member_only_their_own_ledger(world, client_for):
    cast = world["cast"]
    client = client_for(cast.member)
    assert client.get(reverse("scoring:mine")).status_code == 200
    assert client.get(reverse("scoring:member", args=[cast.member.member_id])).status_code == 200
    assert client.get(reverse("scoring:member", args=[cast.officer.member_id])).status_code == 404
    assert client.get(reverse("scoring:member", args=[world["stranger"].pk])).status_code == 404


def test_it_shows_a_liaison_their_units_members_only(world, client_for):
    cast = world["cast"]
    client = client_for(cast.liaison)
    assert client.get(reverse("scoring:member", args=[cast.officer.member_id])).status_code == 200
    assert client.get(reverse("scoring:member", args=[cast.outsider.member_id])).status_code == 404
    # The ranking page lists only the liaison's own unit's members, and no duty list.
    page = client.get(reverse("scoring:rankings")).content.decode()
    assert cast.member.member.name in page and cast.outsider.member.name not in page
    assert "约谈提醒" not in page


def test_it_shows_the_duty_list_to_the_office_but_not_to_leaders(world, client_for):
    assert (
        "约谈提醒"
        in client_for(world["cast"].editor).get(reverse("scoring:rankings")).content.decode()
    )
    assert (
        "约谈提醒"
        not in client_for(world["cast"].leader).get(reverse("scoring:rankings")).content.decode()
    )


def test_it_shows_a_liaison_only_campaigns_of_their_unit(world, client_for):
    url = reverse("scoring:campaign", args=[world["campaign"].pk])
    assert client_for(world["cast"].liaison).get(url).status_code == 404
    assert client_for(world["cast"].editor).get(url).status_code == 200


@pytest.mark.parametrize(
    ("name", "obj", "refused", "data"),
    [
        ("scoring:correct", "member", but("admin"), {"points": "2", "reason": "漏计"}),
        ("scoring:resolve", "objection", but("admin"), {"decision": "rejected", "reply": "无误"}),
        (
            "scoring:notice_edit",
            "notice",
            but("editor"),
            {"title": "改", "opening": "", "closing": ""},
        ),
        ("scoring:notice_new", None, but("editor"), {"year": "2025"}),
    ],
)
def test_it_refuses_changes_by_the_wrong_roles_and_stores_nothing(
    world, client_for, name, obj, refused, data
):
    if obj is None:
        args = []
    elif obj == "member":
        args = [world["cast"].member.member_id]
    else:
        args = [world[obj].pk]
    for who in refused:
        before = Event.objects.count()
        response = client_for(world["people"][who]).post(reverse(name, args=args), data)
        assert response.status_code in (403, 404), (who, response.status_code)
        assert Event.objects.count() == before


def test_it_shows_public_notices_only_when_published_and_enabled(world, client):
    notice = world["notice"]
    url = reverse("scoring:public_notice", args=[notice.pk])
    assert client.get(url).status_code == 404
    notice.state, notice.public = "published", True
    notice.save()
    assert client.get(url).status_code == 200


def test_it_needs_a_login_for_a_member_ledger(world, client):
    response = client.get(reverse("scoring:mine"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_it_hides_the_admins_correction_form_from_others(world, client_for):
    page = client_for(world["cast"].member).get(reverse("scoring:mine")).content.decode()
    assert "更正积分（系统管理员）" not in page


def test_a_leader_sees_the_points_of_an_unpublished_report_but_not_its_title(cast, client_for):
    make_rules()
    report = make_report(cast, state="submitted", title="关于尚未编发事项的建议")
    settle()
    url = reverse("scoring:member", args=[cast.member.member_id])
    page = client_for(cast.leader).get(url).content.decode()
    assert "（不可见）" in page and "报送" in page
    assert report.title not in page and report.serial not in page
    # The author and the office read the same row with its title.
    for reader in (cast.member, cast.editor):
        assert report.title in client_for(reader).get(url).content.decode()
