"""In real headless Chromium: a member on a phone accepts a commission (约稿), writes the
report from it and submits it; the office sees it delivered on the topic's page."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from minyi.duties.models import Commission
from minyi.reports.models import Report, State
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_member_to_publication import SCREENSHOTS, log_in
from tests.duties.helpers import make_commission
from tests.factories import REPORT_TEXT

DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1


def member_accepts_and_writes(new_page, cast, commission: Commission) -> Report:
    page = new_page(PHONE)
    log_in(page, cast.member)
    page.goto("/")
    home = page.inner_text("main")
    assert "向我约稿" in home and "待答复" in home and fits_the_phone(page)
    page.get_by_role("link", name=commission.topic.title).first.click()
    page.get_by_role("button", name="接受约稿").click()
    page.wait_for_load_state()
    assert "已接受" in page.inner_text("main") and fits_the_phone(page)
    page.screenshot(path=str(SCREENSHOTS / "commission-accepted-phone.png"), full_page=True)
    DOCS_SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(DOCS_SCREENSHOTS / "commission-phone.png"), full_page=True)
    page.get_by_role("link", name="据此撰写信息").click()
    page.wait_for_url("**/reports/new/?commission=*")
    assert "应约撰写：" in page.inner_text("main")
    page.fill("#id_title", "关于社区养老驿站运营补贴的建议")
    page.fill("#id_situation", REPORT_TEXT["situation"])
    page.fill("#id_analysis", REPORT_TEXT["analysis"])
    page.fill("#id_suggestions", REPORT_TEXT["suggestions"])
    page.get_by_role("button", name="保存并报送").click()
    page.wait_for_url("**/reports/*/")
    assert "已报送" in page.inner_text("main") and fits_the_phone(page)
    return Report.objects.get(title="关于社区养老驿站运营补贴的建议")


def test_a_member_on_a_phone_answers_a_commission_and_the_office_sees_it(new_page, cast):
    commission = make_commission(cast)
    report = member_accepts_and_writes(new_page, cast, commission)
    assert report.state == State.SUBMITTED and report.topic_id == commission.topic_id
    # The delivery is the consumer's, run by the nudge after the submission committed.
    for _ in range(50):
        commission.refresh_from_db()
        if commission.state == "delivered":
            break
        time.sleep(0.1)
    assert commission.state == "delivered" and commission.report_id == report.pk

    page = new_page(DESKTOP)
    log_in(page, cast.editor)
    page.goto(f"/topics/{commission.topic_id}/")
    text = page.inner_text("main")
    assert "张明" in text and "已交稿" in text and "关于社区养老驿站运营补贴的建议" in text
    page.screenshot(path=str(SCREENSHOTS / "topic-office.png"), full_page=True)
    page.screenshot(path=str(DOCS_SCREENSHOTS / "topic-commissions-office.png"), full_page=True)
