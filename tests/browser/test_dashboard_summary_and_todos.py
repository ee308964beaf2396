"""In real headless Chromium: the office's dashboard with its summary and horizontal unit
bars, and the to-do counts in the menu, on a desktop and a phone (screenshots for the docs)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_member_to_publication import SCREENSHOTS, log_in
from tests.factories import make_report
from tests.insights.helpers import YEAR, make_history

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_editor_sees_the_summary_and_every_unit_label_on_horizontal_bars(new_page, cast) -> None:
    make_history(cast)
    page = new_page(DESKTOP)
    log_in(page, cast.editor)
    page.goto(f"/insights/?year={YEAR}")
    assert page.locator(".summary-tiles .tile").count() == 5
    assert "采用率" in page.locator(".summary-tiles").inner_text()
    page.wait_for_function("document.querySelectorAll('.figure-chart canvas').length >= 7")
    # The unit chart is as tall as its rows need and spans the page.
    unit_box = page.locator('[data-figure="figure-data-by-unit"]')
    assert unit_box.bounding_box()["width"] > 1000
    page.screenshot(path=str(SCREENSHOTS / "dashboard-summary.png"), full_page=True)


def test_the_menu_shows_the_editors_to_dos_and_they_lead_to_the_filtered_list(
    new_page, cast
) -> None:
    for n in range(3):
        make_report(cast, state="submitted", title=f"待受理的信息{n}")
    page = new_page(DESKTOP)
    log_in(page, cast.editor)
    page.goto("/search/")
    bar = page.locator("nav.todos")
    assert "待受理3" in bar.inner_text().replace(" ", "").replace("\n", "")
    page.screenshot(path=str(SCREENSHOTS / "todos-desktop.png"))
    bar.get_by_text("待受理").click()
    page.wait_for_url("**/office/triage/?state=submitted*")
    assert "共 3 篇" in page.content()
    # The triage list uses the desktop's width (no 1200px column) with compact rows.
    assert page.evaluate("document.querySelector('main').getBoundingClientRect().width") > 1300
    assert page.locator("table.responsive.compact").count() == 1
    phone = new_page(PHONE)
    log_in(phone, cast.editor)
    phone.goto("/office/triage/")
    # On a phone the to-dos stay visible without opening the menu, and nothing scrolls sideways.
    assert phone.locator("nav.todos").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    phone.screenshot(path=str(SCREENSHOTS / "todos-phone.png"))
