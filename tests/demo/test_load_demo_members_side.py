"""load_demo's members' side: a topic guide, commissions in every state, two terms with a
换届, appointed officers; the event chain stays valid."""

from __future__ import annotations

import pytest
from django.test import Client

from minyi.audit.models import verify_chain
from minyi.duties.models import Commission, CommissionState
from minyi.people.models import Member, Term, User
from minyi.people.terms import OfficerAppointment, TermMembership
from minyi.reports.models import Topic
from minyi.scoring.models import Score
from tests.demo.test_load_demo import load

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_demo_has_the_members_side_in_every_state():
    load("--small")
    assert set(Commission.objects.values_list("state", flat=True)) == set(CommissionState.values)
    assert Topic.objects.filter(published=True).count() == 3
    assert Topic.objects.filter(published=False).exists()
    old, current = Term.objects.order_by("start_year")
    assert current.current and not old.current
    assert not TermMembership.objects.filter(term=old, left_on__isnull=True).exists()
    assert TermMembership.objects.filter(term=old, note="换届离任").count() == 6
    assert Member.objects.filter(term=old, active=False).count() == 6
    officer = User.objects.get(username="officer")
    assert OfficerAppointment.objects.filter(member=officer.member, removed_on=None).exists()
    assert "officer" in {
        u.username for u in User.objects.filter(member__is_information_officer=True)
    }
    assert Score.objects.filter(kind="commissioned", note="应约稿件").exists()
    assert verify_chain() is None
    client = Client()
    client.force_login(User.objects.get(username="member"))
    home = client.get("/reports/").content.decode()
    assert "向我约稿" in home and "研究室选题指南" in home
