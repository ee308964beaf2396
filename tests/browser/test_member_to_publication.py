"""In real headless Chromium: a member on a phone submits a report; the editor
accepts it, the approver signs it off, and it is published in a bulletin issue."""

from __future__ import annotations

from pathlib import Path

import pytest

from minyi.reports.models import Report, State
from tests.browser.conftest import DESKTOP, PHONE
from tests.factories import PASSWORD, REPORT_TEXT

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SCREENSHOTS.mkdir(exist_ok=True)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, user) -> None:
    page.goto("/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)


def member_submits_from_a_phone(new_page, cast) -> Report:
    page = new_page(PHONE)
    log_in(page, cast.member)
    page.goto("/reports/new/")
    page.fill("#id_title", REPORT_TEXT["title"])
    page.fill("#id_situation", REPORT_TEXT["situation"])
    page.fill("#id_analysis", REPORT_TEXT["analysis"])
    page.fill("#id_suggestions", REPORT_TEXT["suggestions"])
    page.select_option("#id_category", str(cast.category.pk))
    # The live counter has counted what was typed.
    assert page.inner_text("#body-count") != "0"
    page.get_by_role("button", name="保存并报送").click()
    page.wait_for_url("**/reports/*/")
    assert "已报送" in page.inner_text("main")
    # Nothing on the phone page is wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    return Report.objects.get(title=REPORT_TEXT["title"])


def editor_accepts(new_page, cast, report: Report) -> None:
    page = new_page(DESKTOP)
    log_in(page, cast.editor)
    page.goto("/office/triage/")
    page.get_by_role("link", name=REPORT_TEXT["title"]).first.click()
    page.get_by_role("button", name="受理").click()
    page.get_by_role("button", name="送审签").click()
    report.refresh_from_db()
    assert report.state == State.AWAITING_SIGN_OFF


def approver_signs_off_report(new_page, cast, report: Report) -> None:
    page = new_page(DESKTOP)
    log_in(page, cast.approver)
    page.goto(f"/office/review/{report.pk}/")
    button = page.get_by_role("button", name="签发", exact=True)
    page.fill(f"#opinion-{report.pk}", "同意，报省政协。")
    # The button waits for "已阅读全文" (minyi.js data-requires).
    assert button.is_disabled()
    page.check(f"#ack-{report.pk}")
    assert button.is_enabled()
    button.click()
    page.wait_for_load_state()
    report.refresh_from_db()
    assert report.state == State.SIGNED_OFF


def editor_composes_an_issue(new_page, cast, report: Report) -> str:
    page = new_page(DESKTOP)
    log_in(page, cast.editor)
    page.goto("/bulletins/")
    page.get_by_role("button", name="新建一期").first.click()
    page.wait_for_url("**/compose/")
    page.check(f"#pick-{report.pk}")
    page.check(f"input[name=main][value='{cast.recipients[0].pk}']")
    page.get_by_role("button", name="保存编排").click()
    page.get_by_role("button", name="送审签").click()
    page.wait_for_load_state()
    return page.url


def approver_issues_it(new_page, cast, issue_url: str) -> None:
    page = new_page(DESKTOP)
    log_in(page, cast.approver)
    page.goto(issue_url)
    button = page.get_by_role("button", name="签发", exact=True)
    page.fill("#opinion", "同意印发。")
    assert button.is_disabled()
    page.check("#ack")
    button.click()
    page.wait_for_load_state()
    main = page.inner_text("main")
    assert "已印发" in main and "第1期（总第1期）" in main and "同意印发。" in main


def test_it_publishes_a_report_a_member_submitted_from_a_phone(new_page, cast):
    report = member_submits_from_a_phone(new_page, cast)
    editor_accepts(new_page, cast, report)
    approver_signs_off_report(new_page, cast, report)
    issue_url = editor_composes_an_issue(new_page, cast, report)
    approver_issues_it(new_page, cast, issue_url)
    report.refresh_from_db()
    assert report.state == State.PUBLISHED

    page = new_page(PHONE)
    log_in(page, cast.member)
    page.goto(f"/reports/{report.pk}/")
    text = page.inner_text("main")
    assert "已编发" in text and cast.bulletin.name in text
    page.screenshot(path=str(SCREENSHOTS / "member-report-published.png"), full_page=True)
