"""Content-Security-Policy: every page carries the header, and no page has inline
script, inline style, style attributes or on*= handlers for the policy to block."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from minyi.people.models import User
from tests.factories import make_report

#: A <script> with a src, or a json_script data block, is fine; any other is inline code.
INLINE_SCRIPT = re.compile(
    r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE
)
STYLE_BLOCK = re.compile(r"<style\b", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE)
HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
JS_URL = re.compile(r"href\s*=\s*[\"']?\s*javascript:", re.IGNORECASE)


def inline_code(html: str) -> list[str]:
    """Every piece of markup the policy would refuse, for an error message that shows it."""
    found = []
    for pattern in (INLINE_SCRIPT, STYLE_BLOCK, STYLE_ATTRIBUTE, HANDLER, JS_URL):
        found += [html[m.start() : m.start() + 120] for m in pattern.finditer(html)]
    return found


def pages_for(cast, report, submitted) -> dict[str, list[str]]:
    return {
        "member": [
            "/",
            "/reports/",
            "/reports/new/",
            f"/reports/{report.pk}/",
            f"/reports/{report.pk}/edit/",
            "/notifications/",
            "/notifications/settings/",
            "/scoring/",
            "/search/?q=养老",
        ],
        "editor": [
            "/",
            "/office/triage/",
            f"/office/reports/{submitted.pk}/",
            "/bulletins/",
            "/deadlines/overdue/",
            "/exchange/reports/import/",
            "/scoring/rankings/",
            "/scoring/rules/",
            "/outcomes/",
        ],
        "approver": ["/office/sign-off/", "/scoring/notices/", "/bulletins/reader/"],
        "leader": ["/", "/insights/", "/insights/hot/"],
        "liaison": ["/", "/deadlines/unit/"],
    }


@pytest.fixture
def admin_user(db) -> User:
    return User.objects.create_superuser("root", "root@example.cn", "x-long-password-123")


def test_every_page_sends_the_policy_and_has_no_inline_code(cast, client_for):
    report = make_report(cast, title="草稿页")
    submitted = make_report(cast, state="submitted", title="已报送")
    for role, urls in pages_for(cast, report, submitted).items():
        client = client_for(getattr(cast, role))
        for url in urls:
            response = client.get(url, follow=True)  # a home page may redirect to the role's own
            assert response.status_code == 200, (role, url, response.status_code)
            policy = response["Content-Security-Policy"]
            assert "script-src 'self'" in policy and "style-src 'self'" in policy
            assert "unsafe-inline" not in policy
            assert inline_code(response.content.decode()) == [], (role, url)


def test_the_login_and_error_pages_have_no_inline_code(client, db):
    for url, status in (("/login/", 200), ("/no-such-page/", 404)):
        response = client.get(url)
        assert response.status_code == status
        assert "Content-Security-Policy" in response
        assert inline_code(response.content.decode()) == [], url


def test_the_admin_pages_work_under_the_policy_without_inline_code(admin_user, client, cast):
    make_report(cast, state="submitted")
    client.force_login(admin_user)
    for url in ("/admin/", "/admin/reports/report/", "/admin/people/user/add/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "unsafe-inline" not in response["Content-Security-Policy"]
        assert inline_code(response.content.decode()) == [], url


def test_the_detector_finds_each_kind_of_inline_code():
    # Guard the guard: each pattern must catch what it is for and pass what is allowed.
    assert inline_code('<script src="/static/a.js" defer></script>') == []
    assert inline_code('<script id="d" type="application/json">{}</script>') == []
    assert len(inline_code("<script>alert(1)</script>")) == 1
    assert len(inline_code("<style>p{}</style>")) == 1
    assert len(inline_code('<div style="color:red">')) == 1
    assert len(inline_code('<button onclick="go()">')) == 1
    assert len(inline_code('<a href="javascript:history.back()">')) == 1
    assert inline_code('<p data-style="x" class="onward">') == []


def test_a_pdf_goes_out_without_the_policy_so_chrome_can_show_it(cast, client_for):
    # Chrome's PDF viewer lives under the PDF's own policy and cannot draw under ours.
    report = make_report(cast)
    client = client_for(cast.member)
    upload = SimpleUploadedFile(
        "情况说明.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf"
    )
    client.post(reverse("reports:attach", args=[report.pk]), {"file": upload})
    attachment = report.attachments.get()
    download = client.get(reverse("reports:attachment", args=[attachment.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert "Content-Security-Policy" not in download
    assert "Content-Security-Policy" in client.get(reverse("reports:detail", args=[report.pk]))


def test_no_page_template_has_inline_code():
    # The pages fetched above are a sample; this reads every template. Email bodies are
    # not web pages (mail clients need inline styles) and are left out.
    root = Path(__file__).resolve().parents[2] / "minyi"
    found = {
        str(path.relative_to(root)): inline_code(path.read_text(encoding="utf-8"))
        for path in root.rglob("templates/**/*.html")
        if "/email/" not in path.as_posix() and "/digest/" not in path.as_posix()
    }
    assert {name: code for name, code in found.items() if code} == {}
