"""Every area's actions, made through the pages, carry the client's address and user agent.

Claims, bulletin actions, outcomes, points, rule changes and imports used to
store no address or had it passed down by hand; now ``record()`` reads it from
the request (``core.http.RequestFactsMiddleware``) and no view passes it.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from minyi.audit.models import Event, verify_chain
from minyi.bulletins.actions import do_compose, do_create_issue, do_send_issue_for_sign_off
from minyi.bulletins.models import Issue
from minyi.exchange.models import ImportJob
from minyi.outcomes.models import Forwarding
from minyi.scoring.actions import do_confirm_notice, do_create_notice
from minyi.scoring.models import Objection
from tests.exchange.conftest import ROSTER_HEADERS, xlsx_file
from tests.factories import make_report, publish
from tests.scoring.helpers import make_admin, make_rules, this_year

ADDRESS = "203.0.113.77"
BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64) 审计测试浏览器"
FROM_BROWSER = {"REMOTE_ADDR": ADDRESS, "HTTP_USER_AGENT": BROWSER}


def post(client, url: str, data: dict | None = None):
    response = client.post(url, data or {}, **FROM_BROWSER)
    assert response.status_code in (200, 302), response.content.decode()[:500]
    return response


def assert_from_browser(*verbs: str, since: int = 0) -> None:
    """Every event of these verbs written after ``since`` came with the request's facts."""
    events = list(Event.objects.filter(verb__in=verbs, pk__gt=since))
    assert {e.verb for e in events} == set(verbs)
    for event in events:
        assert (event.ip, event.user_agent) == (ADDRESS, BROWSER), event
    assert verify_chain() is None


def newest() -> int:
    return Event.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_claims_and_releases_carry_the_address(cast, client_for):
    report = make_report(cast, state="submitted")
    client = client_for(cast.editor)
    post(client, reverse("office:claim", args=[report.pk]))
    post(client, reverse("office:claim", args=[report.pk]), {"release": "1"})
    claim = Event.objects.get(verb="claim")
    assert (claim.ip, claim.user_agent) == (ADDRESS, BROWSER)
    for event in Event.objects.filter(verb="release"):
        assert (event.ip, event.user_agent) == (ADDRESS, BROWSER)


def test_bulletin_actions_carry_the_address(cast, client_for):
    report = make_report(cast, state="signed_off")
    editor = client_for(cast.editor)
    post(editor, reverse("bulletins:create"), {"bulletin": cast.bulletin.pk})
    assert_from_browser("create_issue")
    # The composition itself through the action; sending and signing through the pages.
    issue = Issue.objects.get(pk=Event.objects.get(verb="create_issue").object_id)
    do_compose(issue, cast.editor, reports=[report], main=[cast.recipients[0]])
    before = newest()
    post(editor, reverse("bulletins:send", args=[issue.pk]))
    decision = {"opinion": "同意。", "acknowledged": "1"}
    post(client_for(cast.approver), reverse("bulletins:sign_off", args=[issue.pk]), decision)
    assert_from_browser(
        "send_issue_for_sign_off", "sign_off_issue", "publish", "forward", since=before
    )


def test_an_issue_rejection_carries_the_address(cast, client_for):
    report = make_report(cast, state="signed_off")
    issue = do_create_issue(cast.bulletin, cast.editor)
    do_compose(issue, cast.editor, reports=[report], main=[cast.recipients[0]])
    do_send_issue_for_sign_off(issue, cast.editor)
    post(client_for(cast.approver), reverse("bulletins:reject", args=[issue.pk]), {"note": "重排"})
    assert_from_browser("reject_issue")


def test_adoptions_carry_the_address(cast, client_for):
    publish(cast, [make_report(cast, state="signed_off")])
    forwarding = Forwarding.objects.first()
    before = newest()
    answer = {"reason": "refused", "note": "对方答复", "confirm": "on"}
    post(client_for(cast.editor), reverse("outcomes:not_adopted", args=[forwarding.pk]), answer)
    assert_from_browser("not_adopted", since=before)


def test_point_corrections_and_objections_carry_the_address(cast, client_for):
    make_rules()
    admin = client_for(make_admin())
    url = reverse("scoring:correct", args=[cast.member.member_id])
    post(admin, url, {"points": "1.5", "reason": "补记", "year": this_year()})
    assert_from_browser("score_correct")
    before = newest()
    post(
        client_for(cast.member),
        reverse("scoring:object"),
        {"text": "漏计一篇", "year": this_year()},
    )
    objection = Objection.objects.get()
    post(
        client_for(make_admin()),
        reverse("scoring:resolve", args=[objection.pk]),
        {"decision": "rejected", "reply": "核实无误"},
    )
    assert_from_browser("score_objection", "score_objection_resolve", since=before)


def test_rule_changes_carry_the_address(cast, client_for):
    make_rules()
    client = client_for(make_admin())
    url = reverse("scoring:rules_edit")
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    # Unticked boxes and empty values are not posted (0 is a value: ``is``, not ``in``).
    data = {name: value for name, value in data.items() if value is not None and value is not False}
    before = newest()
    post(client, url, {**data, "note": "调整一项分值"})
    assert_from_browser("score_rules_change", since=before)


@pytest.mark.parametrize("step", ["confirm", "publish"])
def test_annual_notice_steps_carry_the_address(cast, client_for, step):
    make_rules()
    notice = do_create_notice(cast.editor, this_year())
    if step == "publish":
        do_confirm_notice(cast.approver, notice, keep=set())
    before = newest()
    post(client_for(cast.approver), reverse("scoring:notice_step", args=[notice.pk, step]))
    assert_from_browser(f"notice_{step}", since=before)


def test_a_roster_import_carries_the_address(cast, client_for):
    admin = client_for(make_admin())
    rows = [["王新", "经济界", "民盟市委", "", "否", ""]]
    file = xlsx_file("名册.xlsx", ROSTER_HEADERS, rows)
    response = post(admin, reverse("exchange:roster_import"), {"file": file})
    job = ImportJob.objects.get(pk=response.url.rstrip("/").split("/")[-1])
    post(admin, reverse("exchange:roster_apply", args=[job.pk]))
    assert_from_browser("import_roster")
