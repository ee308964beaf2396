"""manage.py load_demo: accounts, idempotence, a valid event chain and a believable mix."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.test import Client
from django.utils import timezone

from minyi.audit.models import Event, verify_chain
from minyi.bulletins.models import Issue, IssueState
from minyi.notify.models import Notification
from minyi.outcomes.models import Adoption, Forwarding, Instruction
from minyi.people.models import Member, Organization, Role, User
from minyi.reports.access import visible_reports
from minyi.reports.models import Report, State
from minyi.reports.opinions import SignOffOpinion

# One transaction per simulated day, and notifications are sent on commit:
# these tests need real commits.
pytestmark = pytest.mark.django_db(transaction=True)


def load(*args: str) -> str:
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    models = [User, Member, Organization, Report, Event, Issue, Forwarding, Notification]
    return {m.__name__: m.objects.count() for m in models}


def test_it_creates_the_demo_accounts_with_their_roles_and_prints_them():
    output = load("--small")
    expected = {
        "member": {Role.MEMBER},
        "officer": {Role.MEMBER, Role.INFORMATION_OFFICER},
        "liaison": {Role.LIAISON},
        "editor": {Role.EDITOR},
        "approver": {Role.APPROVER},
        "leader": {Role.LEADER},
        "admin": {Role.ADMIN},
    }
    for username, roles in expected.items():
        user = User.objects.get(username=username)
        assert set(user.roles) == roles, username
        assert Client().login(username=username, password="minyi-demo"), username
        assert f"{username} " in output
    assert User.objects.get(username="admin").is_staff
    liaison = User.objects.get(username="liaison")
    assert [o.name for o in Organization.objects.filter(pk__in=liaison.liaison_unit_ids)] == [
        "民盟市委"
    ]
    member = User.objects.get(username="member").member
    assert member.organizations.filter(name="民盟市委").exists()
    assert "minyi-demo" in output and "签发人" in output


def test_it_trains_the_category_suggestions_from_the_demo_history(settings):
    output = load("--small")
    assert "类别建议：已用" in output
    assert settings.CLASSIFIER_PATH.exists()


def test_it_does_nothing_when_run_a_second_time():
    load("--small")
    before = counts()
    output = load("--small")
    assert "已载入过" in output
    assert counts() == before
    # The refusal leaves data users created alone, too.
    assert before["Report"] >= 60 and before["Member"] == 40


def test_it_keeps_the_event_chain_valid_and_in_time_order():
    load("--small")
    assert verify_chain() is None
    times = list(Event.objects.order_by("id").values_list("created_at", flat=True))
    assert times == sorted(times)
    assert times[-1] <= timezone.now()
    # Events span most of the year, not the seconds the loader took.
    assert (times[-1] - times[0]).days > 300


def test_it_produces_reports_in_every_state_and_queues_for_each_role():
    load("--small")
    states = set(Report.objects.values_list("state", flat=True))
    assert states == set(State.values)
    member = User.objects.get(username="member")
    mine = set(visible_reports(member).values_list("state", flat=True))
    assert {State.PUBLISHED, State.DECLINED, State.RETURNED, State.DRAFT} <= mine
    instructed = Instruction.objects.filter(
        forwarding__report__report_authors__member=member.member
    )
    assert instructed.exists()
    assert Notification.objects.filter(user=member, verb="instruct").exists()
    assert Report.objects.triage().exists()
    assert Report.objects.filter(state=State.AWAITING_SIGN_OFF).exists()
    assert Issue.objects.filter(state=IssueState.ISSUED).count() == 3
    # Each issue went through its series' chain (专报 two steps, 快报 one), one opinion a step,
    # and took its number and 总第N期 at sign-off.
    steps = {"zxxxzb": 2, "xxkb": 1, "sqmy": 1}
    for issue in Issue.objects.filter(state=IssueState.ISSUED).select_related("bulletin"):
        assert issue.opinions.count() == steps[issue.bulletin.code], issue
        assert issue.number and issue.cumulative_number and issue.signer_names()
    assert SignOffOpinion.objects.filter(text__startswith="同意").exists()


def test_it_refuses_a_database_with_demo_accounts_but_no_marker():
    User.objects.create_user("editor", password="x")
    with pytest.raises(CommandError, match="没有做任何修改"):
        load("--small")
    assert Organization.objects.count() == 0
    assert User.objects.count() == 1


def test_it_loads_the_full_demo_city():
    load()
    assert Member.objects.count() == 325
    assert Member.objects.filter(is_information_officer=True).count() == 30
    assert Organization.objects.filter(kind="district_cppcc").count() == 12
    assert Organization.objects.filter(kind="democratic_party").count() == 8
    assert Organization.objects.filter(kind="special_committee").count() == 9
    assert 570 <= Report.objects.count() <= 630
    assert Issue.objects.count() == 24
    assert set(Issue.objects.values_list("bulletin__code", flat=True)) == {"zxxxzb", "sqmy", "xxkb"}
    by_state = dict(Report.objects.values_list("state").annotate(n=Count("id")))
    out = by_state[State.PUBLISHED] + by_state[State.SENT_DIRECTLY]
    assert 0.22 <= by_state[State.PUBLISHED] / Report.objects.count() <= 0.28
    adopted = Adoption.objects.values("forwarding__report").distinct().count()
    assert 0.3 <= adopted / out <= 0.42
    assert 15 <= Instruction.objects.count() <= 25
    assert len(set(Instruction.objects.values_list("level", flat=True))) >= 3
    assert verify_chain() is None
