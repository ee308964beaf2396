"""Real headless Chromium (Debian's package) driven by Playwright.

Outside CI a missing browser skips these tests with a reason; in CI
(``CI=true``) it is a failure, so the browser test can never vanish silently.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

# Playwright's sync API runs an event loop in this thread; Django refuses ORM
# calls from a thread with a running loop unless told it is safe, which it is
# here: the test code and the loop never run concurrently.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("MINYI_CHROMIUM", "") or shutil.which("chromium") or ""
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM:
        if os.environ.get("CI"):
            pytest.fail("CI 环境缺少 chromium：浏览器测试不能跳过（见 ensure-chromium.sh）。")
        pytest.skip("未安装 chromium（Debian 软件包），跳过浏览器测试；make test 会自动安装。")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
        )
        yield launched
        launched.close()


@pytest.fixture
def new_page(browser, live_server):
    """Open a page of the given size with its own cookies, on the live server."""
    contexts = []

    def make(viewport: dict[str, int] = DESKTOP):
        context = browser.new_context(viewport=viewport, locale="zh-CN", base_url=live_server.url)
        context.set_default_timeout(15000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
