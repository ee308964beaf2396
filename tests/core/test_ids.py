"""Ids in query strings and forms are bounded: huge, negative, non-numeric or too many
ids answer 400 (or a form error) in Chinese, never a 500 from the database."""

from __future__ import annotations

import pytest
from django.urls import reverse

from minyi.bulletins.actions import do_create_issue
from minyi.core.http import MAX_ID, MAX_IDS, InvalidIds, check_ids
from minyi.outcomes.models import Recipient, RecipientLevel
from minyi.scoring.models import AnnualNotice
from tests.factories import make_report
from tests.scoring.helpers import make_admin, make_rules

HUGE = "99999999999999999999"
BAD_VALUES = {
    "huge": [HUGE],
    "negative": ["-5"],
    "non-numeric": ["abc"],
    "unicode digit": ["²"],
    "too many": [str(n) for n in range(1, MAX_IDS + 2)],
}


def test_check_ids_keeps_order_and_drops_repeats_and_blanks():
    assert check_ids(["3", " 1", "3", "", str(MAX_ID)]) == [3, 1, MAX_ID]


@pytest.mark.parametrize("values", BAD_VALUES.values(), ids=BAD_VALUES.keys())
def test_check_ids_refuses_bad_values_in_chinese(values):
    with pytest.raises(InvalidIds, match="编号|最多"):
        check_ids(values)
    with pytest.raises(InvalidIds):
        check_ids([str(MAX_ID + 1)])
    with pytest.raises(InvalidIds):
        check_ids(["0"])


def _assert_400_in_chinese(response):
    assert response.status_code == 400
    body = response.content.decode()
    assert "请求有误" in body and ("编号" in body or "最多" in body)


@pytest.mark.parametrize("values", BAD_VALUES.values(), ids=BAD_VALUES.keys())
def test_merge_answers_400_for_bad_ids(cast, client_for, values):
    editor = client_for(cast.editor)
    _assert_400_in_chinese(editor.get(reverse("office:merge"), {"ids": values}))
    _assert_400_in_chinese(editor.post(reverse("office:merge"), {"ids": values, "title": "x"}))


@pytest.mark.parametrize("values", BAD_VALUES.values(), ids=BAD_VALUES.keys())
def test_sign_off_selected_answers_400_for_bad_ids(cast, client_for, values):
    report = make_report(cast, state="awaiting_sign_off")
    approver = client_for(cast.approver)
    response = approver.post(reverse("office:sign_off_selected"), {"ids": values})
    _assert_400_in_chinese(response)
    report.refresh_from_db()
    assert report.state == "awaiting_sign_off"


def test_sign_off_selected_still_signs_off_good_ids(cast, client_for):
    report = make_report(cast, state="awaiting_sign_off")
    approver = client_for(cast.approver)
    data = {"ids": [str(report.pk)], "read": [str(report.pk)], f"opinion-{report.pk}": "同意。"}
    approver.post(reverse("office:sign_off_selected"), data)
    report.refresh_from_db()
    assert report.state == "signed_off"


@pytest.mark.parametrize("values", BAD_VALUES.values(), ids=BAD_VALUES.keys())
def test_creating_an_issue_answers_400_for_a_bad_bulletin_id(cast, client_for, values):
    editor = client_for(cast.editor)
    response = editor.post(reverse("bulletins:create"), {"bulletin": values[:2]})
    _assert_400_in_chinese(response)


@pytest.mark.parametrize("values", BAD_VALUES.values(), ids=BAD_VALUES.keys())
def test_composing_an_issue_refuses_bad_report_ids_on_the_page(cast, client_for, values):
    issue = do_create_issue(cast.bulletin, cast.editor)
    editor = client_for(cast.editor)
    url = reverse("bulletins:compose", args=[issue.pk])
    for field in ("reports", "main", "copy"):
        response = editor.post(url, {field: values})
        assert response.status_code in (200, 400)
        assert "编号" in response.content.decode() or "最多" in response.content.decode()
    assert not issue.items.exists()


@pytest.mark.parametrize("values", BAD_VALUES.values(), ids=BAD_VALUES.keys())
def test_confirming_a_notice_answers_400_for_bad_commendation_ids(cast, client_for, values):
    make_rules()
    client_for(cast.editor).post(reverse("scoring:notice_new"), {"year": "2026"})
    notice = AnnualNotice.objects.get()
    approver = client_for(cast.approver)
    response = approver.post(
        reverse("scoring:notice_step", args=[notice.pk, "confirm"]), {"keep": values}
    )
    _assert_400_in_chinese(response)


@pytest.mark.parametrize("values", BAD_VALUES.values(), ids=BAD_VALUES.keys())
def test_the_report_form_refuses_bad_cosigner_ids_as_a_form_error(cast, client_for, values):
    member = client_for(cast.member)
    response = member.post(
        reverse("reports:new"),
        {"title": "联名测试", "submitting_unit": cast.unit.pk, "urgency": "routine",
         "consent_to_publish": "yes", "cosigners": values},
    )  # fmt: skip
    assert response.status_code in (200, 400)
    assert "编号" in response.content.decode() or "最多" in response.content.decode()


@pytest.mark.parametrize("values", BAD_VALUES.values(), ids=BAD_VALUES.keys())
def test_forwarding_refuses_bad_recipient_ids_as_a_form_error(cast, client_for, values):
    report = make_report(cast, state="published")
    Recipient.objects.create(name="省委", level=RecipientLevel.PROVINCIAL)  # one still open
    before = report.forwardings.count()
    editor = client_for(cast.editor)
    response = editor.post(reverse("outcomes:forward", args=[report.pk]), {"recipients": values})
    assert response.status_code in (200, 400)
    assert "编号" in response.content.decode() or "最多" in response.content.decode()
    assert report.forwardings.count() == before


@pytest.mark.parametrize("value", ["²", HUGE, "-1", "0"])
def test_the_audit_page_treats_a_bad_report_id_as_no_match(cast, client_for, value):
    response = client_for(make_admin()).get(reverse("insights:audit"), {"report": value})
    assert response.status_code == 200
