"""In real headless Chromium: an editor must enrol an authenticator, then logs in with a code."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.helpers import totp_code
from tests.browser.conftest import DESKTOP
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def password_step(page, user) -> None:
    page.goto("/office/triage/")
    page.wait_for_url("**/login/**")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")


def test_an_editor_enrols_with_the_qr_page_then_logs_in_with_a_code(new_page, cast, settings):
    settings.MINYI_REQUIRE_2FA = True
    page = new_page(DESKTOP)
    password_step(page, cast.editor)
    page.wait_for_url("**/account/2fa/enrol/**")
    # The QR code is an image the page loads from our own origin, not inline script.
    qr = page.locator("img[alt='两步验证二维码']")
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=qr.element_handle())
    device = TOTPDevice.objects.get(user=cast.editor, confirmed=False)
    page.fill("#id_code", totp_code(device))
    page.click("button.primary")
    assert page.locator("ul.recovery-codes li").count() == 10
    page.get_by_role("link", name="我已保存，返回账号安全").click()
    assert "已启用" in page.inner_text("main")

    later = new_page(DESKTOP)
    password_step(later, cast.editor)
    later.wait_for_url("**/account/2fa/verify/**")
    later.fill("#id_code", totp_code(device, steps_ahead=1))
    later.click("button.primary")
    later.wait_for_url("**/office/triage/")
    assert "稿件处理" in later.inner_text("main")
