"""Drafts have a size limit: the form, the workbench, the actions and model validation
refuse a body beyond REPORT_DRAFT_MAX_CHARS in Chinese; a too-long title too."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from minyi.audit.statemachine import ActionRefused
from minyi.reports.actions import do_create_report, do_save_text
from minyi.reports.models import Report
from tests.factories import REPORT_TEXT, make_report
from tests.reports.test_member_pages import form_data

TOO_LONG = "字" * 100_000


def test_the_form_refuses_a_100000_character_draft_and_stores_nothing(cast, client_for):
    client = client_for(cast.member)
    response = client.post(reverse("reports:new"), form_data(cast, situation=TOO_LONG, save="1"))
    assert response.status_code in (200, 400)
    assert "超过草稿保存上限" in response.content.decode()
    assert not Report.objects.exists()


def test_the_form_tells_the_browser_the_limit(cast, client_for):
    html = client_for(cast.member).get(reverse("reports:new")).content.decode()
    assert f'maxlength="{settings.REPORT_DRAFT_MAX_CHARS}"' in html


def test_the_limit_is_on_the_sum_of_the_three_parts(cast, client_for):
    third = "字" * (settings.REPORT_DRAFT_MAX_CHARS // 2)
    client = client_for(cast.member)
    data = form_data(cast, situation=third, analysis=third, suggestions=third, save="1")
    response = client.post(reverse("reports:new"), data)
    assert "超过草稿保存上限" in response.content.decode()
    assert not Report.objects.exists()


def test_a_draft_at_the_limit_saves(cast, client_for):
    rest = len(REPORT_TEXT["analysis"]) + len(REPORT_TEXT["suggestions"])
    body = "字" * (settings.REPORT_DRAFT_MAX_CHARS - rest)
    client = client_for(cast.member)
    response = client.post(reverse("reports:new"), form_data(cast, situation=body, save="1"))
    assert response.status_code == 302
    assert Report.objects.get().body_length == settings.REPORT_DRAFT_MAX_CHARS


def test_editing_a_draft_past_the_limit_is_refused_and_keeps_the_old_text(cast, client_for):
    report = make_report(cast)
    client = client_for(cast.member)
    data = form_data(cast, situation=TOO_LONG, save="1", base_revision=report.revision_number)
    response = client.post(reverse("reports:edit", args=[report.pk]), data)
    assert "超过草稿保存上限" in response.content.decode()
    report.refresh_from_db()
    assert report.situation == REPORT_TEXT["situation"]


def test_the_workbench_refuses_an_oversized_edit(cast, client_for):
    report = make_report(cast, state="submitted")
    editor = client_for(cast.editor)
    data = {**report.text_fields(), "situation": TOO_LONG}
    data.update(base_revision=report.revision_number, note="")
    response = editor.post(reverse("office:workbench", args=[report.pk]), data)
    assert response.status_code == 400
    assert "超过草稿保存上限" in response.content.decode()


def test_the_actions_refuse_oversized_text_whatever_the_caller(cast):
    fields = {**REPORT_TEXT, "situation": TOO_LONG}
    with pytest.raises(ActionRefused, match="超过草稿保存上限"):
        do_create_report(cast.member, fields=fields)
    with pytest.raises(ActionRefused, match="标题最多200字，现有"):
        do_create_report(cast.member, fields={**REPORT_TEXT, "title": "题" * 201})
    report = make_report(cast)
    with pytest.raises(ActionRefused, match="超过草稿保存上限"):
        do_save_text(report, cast.member, fields=fields, base_revision=report.revision_number)


def test_model_validation_refuses_an_oversized_body(cast):
    report = make_report(cast)
    report.analysis = TOO_LONG
    with pytest.raises(ValidationError, match="超过草稿保存上限"):
        report.full_clean()
