"""Terms and 换届; officers appointed for a period, their duties only while appointed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse

from minyi.audit.models import Event
from minyi.core import clock
from minyi.people.models import Member, Term
from minyi.people.terms import OfficerAppointment, TermMembership, appointed_months
from minyi.scoring.models import ScoreRuleSet
from minyi.scoring.rankings import member_table
from tests.scoring.helpers import make_admin, make_rules, this_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def term(cast) -> Term:
    term = Term.objects.create(name="第十四届", start_year=2022, end_year=2026, current=True)
    Member.objects.filter(pk__in=[cast.member.member_id, cast.officer.member_id]).update(term=term)
    return term


def _change(cast, client, continuing, **overrides):
    data = {
        "name": "第十五届",
        "start_year": "2027",
        "end_year": "2031",
        "starts_on": "2027-01-10",
        "continuing": continuing,
        **overrides,
    }
    return client.post(reverse("members:terms"), data)


def test_a_term_change_carries_over_the_continuing_and_closes_the_others(cast, client_for, term):
    response = _change(cast, client_for(make_admin()), [cast.member.member_id])
    assert response.status_code == 302
    new = Term.objects.get(current=True)
    assert new.name == "第十五届" and not Term.objects.get(pk=term.pk).current
    kept = TermMembership.objects.get(term=new, member_id=cast.member.member_id)
    assert kept.joined_on == dt.date(2027, 1, 10)
    old_rows = TermMembership.objects.filter(term=term)
    assert old_rows.count() == 2 and not old_rows.filter(left_on__isnull=True).exists()
    assert set(old_rows.values_list("left_on", flat=True)) == {dt.date(2027, 1, 9)}
    leaving = Member.objects.get(pk=cast.officer.member_id)
    assert not leaving.active and leaving.term == term  # history kept
    assert Member.objects.get(pk=cast.member.member_id).term == new
    assert Event.objects.filter(verb="term_change").count() == 1


@pytest.mark.parametrize("role", ["editor", "member", "leader", "liaison"])
def test_only_the_admin_changes_terms_and_nothing_changes_on_refusal(cast, client_for, term, role):
    before = Event.objects.count()
    response = _change(cast, client_for(getattr(cast, role)), [cast.member.member_id])
    assert response.status_code == 403
    assert Term.objects.count() == 1 and Event.objects.count() == before


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": "第十四届"}, "“第十四届”已存在"),
        ({"end_year": "2020"}, "结束年份不能早于起始年份"),
        ({"starts_on": "2030-01-01"}, "换届日期应在新一届的起始年份内"),
        ({"starts_on": "明年"}, "日期格式不正确"),
    ],
)
def test_bad_term_changes_are_refused_in_chinese(cast, client_for, term, overrides, message):
    response = _change(cast, client_for(make_admin()), [cast.member.member_id], **overrides)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Term.objects.count() == 1 and not TermMembership.objects.exists()


def test_the_management_command_changes_the_term(cast, term):
    call_command(
        "change_term",
        "第十五届",
        "2027",
        "2031",
        "--starts-on",
        "2027-01-10",
        "--leaving",
        str(cast.officer.member_id),
    )
    assert Term.objects.get(current=True).name == "第十五届"
    assert not Member.objects.get(pk=cast.officer.member_id).active


def test_an_editor_appoints_and_removes_an_officer_with_letters(cast, client_for):
    client = client_for(cast.editor)
    member = cast.member.member
    response = client.post(
        reverse("members:officers"),
        {"member": member.pk, "appointed_on": "2026-02-01", "letter": "政协办〔2026〕3号"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.is_information_officer
    appointment = OfficerAppointment.objects.get(member=member)
    again = client.post(
        reverse("members:officers"),
        {"member": member.pk, "appointed_on": "2026-03-01", "letter": "另一文号"},
    )
    assert "张明已是特约信息员" in again.content.decode()
    client.post(
        reverse("members:remove_officer", args=[appointment.pk]),
        {"removed_on": "2026-05-01", "letter": "政协办〔2026〕9号", "reason": "工作调动"},
    )
    appointment.refresh_from_db()
    member.refresh_from_db()
    assert appointment.removed_on == dt.date(2026, 5, 1) and not member.is_information_officer
    assert Event.objects.filter(verb__in=["officer_appoint", "officer_remove"]).count() == 2


def test_appointing_needs_a_letter_and_the_office(cast, client_for):
    member = cast.member.member
    bad = client_for(cast.editor).post(
        reverse("members:officers"), {"member": member.pk, "appointed_on": "2026-02-01"}
    )
    assert bad.status_code == 400 and "请填写聘任文号" in bad.content.decode()
    refused = client_for(cast.liaison).post(
        reverse("members:officers"),
        {"member": member.pk, "appointed_on": "2026-02-01", "letter": "x"},
    )
    assert refused.status_code == 403
    assert not OfficerAppointment.objects.exists()


def test_officer_duties_apply_only_in_the_months_appointed(cast):
    year = this_year()
    make_rules(officer_min_monthly=1, member_min_reports=0)
    member = cast.member.member
    OfficerAppointment.objects.create(
        member=member,
        appointed_on=dt.date(year, 3, 15),
        removed_on=dt.date(year, 5, 1),
        letter_number="聘字1号",
    )
    assert appointed_months(year, [member.pk]) == {member.pk: {3, 4}}
    ruleset = ScoreRuleSet.objects.current(year)
    lines = {line.key: line for line in member_table(year, ruleset)}
    shortfall = lines[member.pk].extra["shortfall"]
    # The months already over (``rankings._months_due``), in local time.
    months_due = set(range(1, clock.localdate().month)) & {3, 4}
    if months_due:
        assert "特约信息员每月应报送 1 篇" in shortfall
        assert "1月" not in shortfall and "6月" not in shortfall
    # The cast's officer has no appointment on record: every month is due, as before.
    assert appointed_months(year, [cast.officer.member_id])[cast.officer.member_id] == set(
        range(1, 13)
    )
