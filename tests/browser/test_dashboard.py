"""In real headless Chromium: a leader opens the dashboard and ECharts draws
every figure from the vendored script, with the tables still one click away."""

from __future__ import annotations

import pytest

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_member_to_publication import SCREENSHOTS, log_in
from tests.insights.helpers import YEAR, make_history

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_leader_sees_every_figure_drawn_as_a_chart(new_page, cast) -> None:
    make_history(cast)
    page = new_page(DESKTOP)
    log_in(page, cast.leader)
    page.goto(f"/insights/?year={YEAR}")
    charts = page.locator(".figure-chart")
    count = charts.count()
    assert count >= 7
    # dashboard.js unhides each chart once ECharts has drawn it on a canvas.
    page.wait_for_function(f"document.querySelectorAll('.figure-chart canvas').length >= {count}")
    assert page.evaluate("typeof window.echarts") == "object"
    # The tables fold away once the charts are there, but stay in the page.
    assert page.locator("details[data-table-for]:not([open])").count() == count
    page.locator("details[data-table-for] summary").first.click()
    assert "月份" in page.locator("details[data-table-for]").first.inner_text()
    page.screenshot(path=str(SCREENSHOTS / "dashboard.png"), full_page=True)


def test_the_dashboard_fits_a_phone(new_page, cast) -> None:
    make_history(cast)
    page = new_page(PHONE)
    log_in(page, cast.leader)
    page.goto(f"/insights/?year={YEAR}")
    page.wait_for_function("document.querySelectorAll('.figure-chart canvas').length > 0")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
