"""The audit page says in Chinese what each event is about and what its payload holds."""

from __future__ import annotations

import pathlib
import re

import pytest
from django.urls import reverse

import minyi
from minyi.audit.trail import record_download
from minyi.bulletins.actions import do_create_issue
from minyi.insights.audit_labels import (
    DOCUMENT_KINDS,
    KIND_PREFIXES,
    describe_payload,
    kind_label,
    object_label,
)
from minyi.people.models import Role
from tests.factories import make_report, make_user

AUDIT = reverse("insights:audit")


@pytest.fixture
def admin(cast):
    return make_user("admin", Role.ADMIN, display_name="系统管理员")


def test_a_download_of_a_distributed_copy_reads_in_chinese(cast, client_for, admin):
    issue = do_create_issue(cast.bulletin, cast.editor)
    record_download(cast.editor, issue, what="issue_copy_pdf", name="第3期-第7份.pdf", copy=7)
    html = client_for(admin).get(AUDIT, {"verb": "download"}).content.decode()
    assert f"刊物期次 #{issue.pk}" in html
    assert "内容：分发份文件（PDF）；文件名：第3期-第7份.pdf；份号：7" in html
    assert "bulletins.issue #" not in html and "what：" not in html and "issue_copy_pdf" not in html


def test_every_object_is_named_by_its_models_chinese_name(cast, client_for, admin):
    report = make_report(cast, state="submitted")
    client_for(cast.editor).post(reverse("office:claim", args=[report.pk]))
    html = client_for(admin).get(AUDIT, {"verb": "claim"}).content.decode()
    assert "社情民意信息 #" in html and "reports.report #" not in html


def test_kinds_with_a_variable_tail_and_unknown_codes_stay_readable():
    assert kind_label("reports:triage") == "稿件清单（triage）"
    assert kind_label("chase_xlsx") == "催办清单（xlsx）"
    assert kind_label("something_new") == "something_new"
    assert object_label("gone.model", "5") == "gone.model #5"
    assert object_label("bulletins.bulletin", "2") == "刊物 #2"
    assert describe_payload({"scan": "instruction", "truncated": False, "novel_key": [1]}) == (
        "已截断：否；扫描件所属：批示；novel_key：[1]"
    )


def test_every_document_kind_recorded_in_the_code_has_a_chinese_label():
    root = pathlib.Path(minyi.__file__).parent
    source = "\n".join(p.read_text() for p in root.rglob("*.py"))
    kinds = set(re.findall(r'what="([a-z_]+)"', source))
    assert kinds, "no record_download / record_export callers found"
    assert kinds <= set(DOCUMENT_KINDS), kinds - set(DOCUMENT_KINDS)
    tails = set(re.findall(r'what=f"([a-z_]+[:_])\{', source))
    assert tails <= set(KIND_PREFIXES), tails - set(KIND_PREFIXES)


def test_state_change_is_said_with_the_models_state_labels():
    text = describe_payload({"from": "draft", "to": "awaiting_sign_off"}, "reports.report")
    assert "draft" not in text and "awaiting_sign_off" not in text
    assert text.startswith("原为：") and "；改为：" in text


def test_known_keys_levels_and_reasons_are_said_in_chinese():
    text = describe_payload(
        {"second_factor": "totp", "by_office": True, "level": "secret", "reason": "poor_quality"}
    )
    for code in ("second_factor", "by_office", "secret", "poor_quality"):
        assert code not in text
    assert "秘密" in text and "内容空泛，质量不高" in text


def test_filter_dropdowns_show_labels_without_codes(client_for, admin):
    page = client_for(admin).get(AUDIT).content.decode()
    assert "（create）" not in page and "（people.officerappointment）" not in page
    assert 'value="create"' in page
    # A label two options share is told apart in words, not by a code.
    assert ">报送（稿件）<" in page and ">报送（报送与采用）<" in page
    assert ">报送对象（刊物）<" in page and ">报送对象（报送与采用）<" in page
