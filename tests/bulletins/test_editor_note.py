"""编者按: the editor writes it on a draft issue; it is printed above the items."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from docx import Document

from minyi.bulletins.actions import do_create_issue
from minyi.bulletins.models import Issue
from tests.factories import make_report, publish

pytestmark = pytest.mark.django_db


def note_url(issue) -> str:
    return reverse("documents:editor_note", args=[issue.pk])


@pytest.fixture
def draft(cast):
    return do_create_issue(cast.bulletin, cast.editor)


def test_the_editor_writes_a_note_that_the_document_prints(cast, client_for, draft):
    client = client_for(cast.editor)
    assert client.get(note_url(draft)).status_code == 200
    response = client.post(note_url(draft), {"editor_note": "  本期聚焦养老服务。 "})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.editor_note == "本期聚焦养老服务。"
    body = b"".join(client.get(reverse("documents:issue_docx", args=[draft.pk])).streaming_content)
    lines = [p.text for p in Document(io.BytesIO(body)).paragraphs]
    assert "编者按：本期聚焦养老服务。" in lines


def test_an_empty_note_removes_it(cast, client_for, draft):
    Issue.objects.filter(pk=draft.pk).update(editor_note="旧的编者按")
    client_for(cast.editor).post(note_url(draft), {"editor_note": ""})
    draft.refresh_from_db()
    assert draft.editor_note == ""


def test_it_refuses_an_overlong_note_in_chinese(cast, client_for, draft):
    response = client_for(cast.editor).post(note_url(draft), {"editor_note": "按" * 1001})
    assert response.status_code == 400
    assert "编者按不超过1000字（现有1001字）。" in response.content.decode()
    draft.refresh_from_db()
    assert draft.editor_note == ""


def test_it_freezes_the_note_once_the_issue_is_issued(cast, client_for):
    issued = publish(cast, [make_report(cast, state="signed_off")])
    response = client_for(cast.editor).post(note_url(issued), {"editor_note": "补充"})
    assert response.status_code == 400
    assert "编者按不能再修改" in response.content.decode()
    issued.refresh_from_db()
    assert issued.editor_note == ""


@pytest.mark.parametrize("who", ["approver", "leader", "member", "liaison", "outsider"])
def test_it_is_the_editors_alone(cast, client_for, draft, who):
    client = client_for(getattr(cast, who))
    assert client.get(note_url(draft)).status_code == 404
    assert client.post(note_url(draft), {"editor_note": "越权"}).status_code == 404
    draft.refresh_from_db()
    assert draft.editor_note == ""


def test_the_issue_page_shows_the_note_and_links_the_editor_to_it(cast, client_for, draft):
    Issue.objects.filter(pk=draft.pk).update(editor_note="本期聚焦养老服务。")
    page = client_for(cast.editor).get(reverse("bulletins:detail", args=[draft.pk]))
    html = page.content.decode()
    assert "本期聚焦养老服务。" in html and note_url(draft) in html
