"""In real headless Chromium, under the Content-Security-Policy: the key pages run
their scripts and styles from static files, and the browser reports no violation."""

from __future__ import annotations

import pytest

from tests.browser.conftest import DESKTOP
from tests.browser.test_member_to_publication import log_in
from tests.factories import make_report
from tests.insights.helpers import YEAR, make_history

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _watch(page) -> list[str]:
    """Collect every console message that reports a CSP violation."""
    violations: list[str] = []
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return violations


def test_the_key_pages_raise_no_csp_violation(new_page, cast) -> None:
    make_history(cast)
    report = make_report(cast, state="submitted", title="内容安全策略测试稿")
    member = new_page(DESKTOP)
    seen = _watch(member)
    log_in(member, cast.member)
    member.goto("/")
    member.goto("/reports/new/")
    # The live count comes from minyi.js, not from an inline script.
    member.locator("textarea[data-count=body]").first.fill("一二三四五")
    member.wait_for_function("document.getElementById('body-count').textContent === '5'")

    editor = new_page(DESKTOP)
    seen += _watch(editor)
    log_in(editor, cast.editor)
    response = editor.goto(f"/office/reports/{report.pk}/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    editor.goto("/office/triage/")

    leader = new_page(DESKTOP)
    seen += _watch(leader)
    log_in(leader, cast.leader)
    leader.goto(f"/insights/?year={YEAR}")
    leader.wait_for_function("document.querySelectorAll('.figure-chart canvas').length > 0")
    # Hovering draws a tooltip: ECharts must not inject inline styles for it.
    leader.locator(".figure-chart canvas").first.hover()
    leader.wait_for_timeout(300)
    assert seen == []
