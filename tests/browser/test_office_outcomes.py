"""In real headless Chromium: the office's daily loop (issue #14).

1. An editor finds a report by its 流水号 in the outcomes register, records one
   adoption for its three forwardings at once, and the three authors see it on
   their phones.
2. A member attaches a PDF on the first save; the editor's workbench lists it
   and previews it inline.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone

from minyi.outcomes.models import Adoption, ForwardingState, Recipient, RecipientLevel
from minyi.reports.actions import set_authors
from minyi.reports.models import Attachment, Report
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_member_to_publication import SCREENSHOTS, log_in
from tests.factories import REPORT_TEXT, make_report, publish, settle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n%%EOF\n"


def a_report_with_three_authors_sent_to_three_recipients(cast) -> Report:
    cast.recipients.append(
        Recipient.objects.get_or_create(name="省政协", level=RecipientLevel.PROVINCIAL)[0]
    )
    report = make_report(cast, state="signed_off", title="关于规范校外培训机构收费的建议")
    members = [cast.member.member, cast.officer.member, cast.outsider.member]
    set_authors(report, members)
    # Other published reports, so the search has something to leave out.
    others = [make_report(cast, state="signed_off", title=f"其他建议{n}") for n in (1, 2)]
    publish(cast, [report, *others])
    report.refresh_from_db()
    assert report.forwardings.count() == 3
    return report


def test_an_editor_adopts_three_forwardings_at_once_and_the_authors_see_it(new_page, cast):
    report = a_report_with_three_authors_sent_to_three_recipients(cast)
    page = new_page(DESKTOP)
    log_in(page, cast.editor)
    page.goto("/outcomes/")
    assert "采用登记" in page.inner_text("h1")
    page.fill("#id_q", report.serial)
    page.get_by_role("button", name="查询").click()
    page.wait_for_url("**/outcomes/?*")
    rows = page.locator("table.register tbody tr")
    assert rows.count() == 3
    assert "其他建议" not in page.inner_text("table.register")
    page.check("input[data-check-all=ids]")
    assert page.locator("input[name=ids]:checked").count() == 3
    page.check("#batch_kind_1")  # 综合采用
    page.fill("#batch_carrier", "全国政协《社情民意信息》第 9 期")
    # The local day: from 16:00 UTC on, the UTC date is the day before Beijing's, and an
    # adoption dated before its forwarding is refused.
    forwarded_on = timezone.localdate(report.forwardings.first().forwarded_at)
    page.fill("#batch_adopted_on", forwarded_on.isoformat())
    page.screenshot(path=str(SCREENSHOTS / "outcomes-register.png"), full_page=True)
    page.get_by_role("button", name="为所选登记采用").click()
    page.wait_for_load_state()
    assert "已为 3 条报送记录登记采用（综合采用）" in page.inner_text("main")
    assert set(report.forwardings.values_list("state", flat=True)) == {ForwardingState.ADOPTED}
    assert Adoption.objects.filter(carrier="全国政协《社情民意信息》第 9 期").count() == 3

    settle()  # the author-feedback consumer, as the worker's next tick would run it
    for author in (cast.member, cast.officer, cast.outsider):
        phone = new_page(PHONE)
        log_in(phone, author)
        phone.goto("/notifications/")
        text = phone.inner_text("main")
        for recipient in ("全国政协", "市委", "省政协"):
            assert f"被{recipient}采用（综合采用）" in text, (author, recipient)
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
        phone.goto(f"/reports/{report.pk}/")
        assert "已采用" in phone.inner_text("main")
        if author == cast.member:
            phone.screenshot(path=str(SCREENSHOTS / "member-phone-adopted.png"), full_page=True)

    # Back on the workbench, the outcomes panel shows the three adoptions.
    page.goto(f"/office/reports/{report.pk}/")
    panel = page.inner_text("#outcomes")
    assert panel.count("综合采用") == 3 and "报送其他对象" in panel
    page.locator("#outcomes").screenshot(path=str(SCREENSHOTS / "workbench-outcomes.png"))


def test_the_workbench_shows_and_previews_a_members_pdf(new_page, cast, tmp_path: Path):
    evidence = tmp_path / "evidence.pdf"
    evidence.write_bytes(PDF)
    phone = new_page(PHONE)
    log_in(phone, cast.member)
    phone.goto("/reports/new/")
    phone.fill("#id_title", REPORT_TEXT["title"])
    phone.fill("#id_situation", REPORT_TEXT["situation"])
    phone.fill("#id_analysis", REPORT_TEXT["analysis"])
    phone.fill("#id_suggestions", REPORT_TEXT["suggestions"])
    phone.select_option("#id_category", str(cast.category.pk))
    phone.set_input_files("#new-files", str(evidence))
    phone.get_by_role("button", name="保存并报送").click()
    phone.wait_for_url("**/reports/*/")
    assert "evidence.pdf" in phone.inner_text("main")
    report = Report.objects.get(title=REPORT_TEXT["title"])
    attachment = Attachment.objects.get(report=report)

    page = new_page(DESKTOP)
    log_in(page, cast.editor)
    page.goto(f"/office/reports/{report.pk}/")
    listing = page.inner_text("#attachments")
    assert "evidence.pdf" in listing and "PDF" in listing and "张明" in listing
    preview_url = f"/reports/attachments/{attachment.pk}/preview/"
    with page.expect_response(lambda r: r.url.endswith(preview_url)) as answer:
        page.locator("#attachments summary", has_text="预览").click()
    response = answer.value
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("inline")
    frame = page.locator("iframe.attachment-preview")
    assert frame.is_visible()
    assert frame.bounding_box()["height"] > 200
    page.screenshot(path=str(SCREENSHOTS / "workbench-attachment-preview.png"), full_page=True)


def test_an_editor_chases_a_recipient_after_confirming(new_page, cast):
    import datetime as dt

    from django.utils import timezone

    from minyi.audit.models import Event
    from minyi.outcomes.models import Forwarding

    reports = [make_report(cast, state="signed_off", title=f"久未反馈的建议{n}") for n in (1, 2)]
    publish(cast, reports)
    Forwarding.objects.update(forwarded_at=timezone.now() - dt.timedelta(days=60))
    page = new_page(DESKTOP)
    log_in(page, cast.editor)
    page.goto("/outcomes/")
    page.get_by_role("link", name="催办（逾期未反馈 4 条）").click()
    page.get_by_role("link", name="催办").first.click()
    page.wait_for_url("**/outcomes/chase/*/")
    assert "久未反馈的建议1" in page.inner_text("main")
    page.screenshot(path=str(SCREENSHOTS / "chase-recipient.png"), full_page=True)
    # The first time the editor thinks better of it: nothing is recorded.
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="登记已催办（2 条）").click()
    page.wait_for_timeout(300)
    assert not Event.objects.filter(verb="chase").exists()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="登记已催办（2 条）").click()
    page.wait_for_load_state()
    assert "已登记催办" in page.inner_text("main")
    assert Event.objects.filter(verb="chase").count() == 2
    with page.expect_download() as download:
        page.get_by_role("link", name="下载催办函（Word）").click()
    assert download.value.suggested_filename.endswith(".docx")


def test_a_second_editor_takes_over_a_claimed_report(new_page, cast):
    from minyi.notify.models import Notification
    from minyi.people.models import Role
    from minyi.reports.actions import do_claim
    from tests.factories import make_user

    report = make_report(cast, state="submitted")
    do_claim(report, cast.editor)
    second = make_user("editor2", Role.EDITOR, display_name="孙编辑")
    page = new_page(DESKTOP)
    log_in(page, second)
    page.goto(f"/office/reports/{report.pk}/")
    assert "只有认领人可以办理" in page.inner_text("main")
    assert page.get_by_role("button", name="受理").count() == 0
    page.screenshot(path=str(SCREENSHOTS / "workbench-claimed-by-another.png"), full_page=False)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="接手").click()
    page.wait_for_selector(f"#claim-{report.pk} >> text=孙编辑")
    report.refresh_from_db()
    assert report.claimed_by == second
    settle()
    assert Notification.objects.filter(user=cast.editor, verb="take_over").exists()
