"""The audit page's XLSX export: the filtered events, formula-safe, bounded, itself on record."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from minyi.audit.models import Event, record
from minyi.insights.audit_export import HEADERS, export_events
from minyi.people.models import Role
from tests.factories import make_report, make_user

EXPORT = reverse("insights:audit_export")
HOSTILE_AGENT = '=HYPERLINK("http://evil.example","点我")'


@pytest.fixture
def admin(cast):
    return make_user("admin", Role.ADMIN, display_name="系统管理员")


def sheet_of(response) -> list[list]:
    body = b"".join(response.streaming_content)
    book = load_workbook(io.BytesIO(body))
    return [list(row) for row in book.active.iter_rows(values_only=True)]


def test_it_exports_the_filtered_events_and_records_the_export(cast, client_for, admin):
    report = make_report(cast, state="submitted")
    client = client_for(cast.editor)
    client.post(
        reverse("office:claim", args=[report.pk]),
        REMOTE_ADDR="203.0.113.5",
        HTTP_USER_AGENT=HOSTILE_AGENT,
    )
    response = client_for(admin).get(
        EXPORT, {"verb": "claim"}, REMOTE_ADDR="198.51.100.1", HTTP_USER_AGENT="管理员浏览器"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    rows = sheet_of(response)
    assert rows[0] == HEADERS
    (claim,) = rows[1:]
    assert claim[2] == "赵编辑（editor）" and claim[3] == "认领" and claim[4] == "claim"
    assert claim[7] == report.pk and claim[8] == report.title
    assert claim[9] == "203.0.113.5"
    # Written as text: the hostile user agent is not a formula.
    assert claim[10] == HOSTILE_AGENT

    (event,) = Event.objects.filter(verb="export")
    assert event.actor == admin
    assert (event.ip, event.user_agent) == ("198.51.100.1", "管理员浏览器")
    assert event.payload["what"] == "audit_events"
    assert event.payload["filters"] == {"verb": "claim"}
    assert event.payload["rows"] == 1 and event.payload["truncated"] is False


def test_text_starting_like_a_formula_stays_text_when_edited(cast, client_for, admin):
    evil = make_user("evil", Role.EDITOR, display_name="-2+3")
    report = make_report(cast, state="submitted")
    client_for(evil).post(reverse("office:claim", args=[report.pk]), HTTP_USER_AGENT="@SUM(1)")
    body = b"".join(client_for(admin).get(EXPORT, {"verb": "claim"}).streaming_content)
    sheet = load_workbook(io.BytesIO(body)).active
    actor, agent = sheet.cell(row=2, column=3), sheet.cell(row=2, column=11)
    assert (actor.value, agent.value) == ("-2+3（evil）", "@SUM(1)")
    for cell in (actor, agent):
        # A string cell with Excel's quote prefix: editing it keeps it text.
        assert cell.data_type in ("s", "inlineStr") and cell.quotePrefix


def test_a_large_export_is_cut_at_the_limit_and_says_so(cast, admin):
    for n in range(7):
        record("campaign_save", cast.unit, actor=cast.editor, payload={"n": n})
    events = Event.objects.filter(verb="campaign_save")
    exported = export_events(admin, events, limit=5)
    assert (exported.rows, exported.truncated) == (5, True)
    rows = [list(r) for r in load_workbook(exported.file).active.iter_rows(values_only=True)]
    assert len(rows) == 1 + 5 + 1
    assert "仅导出了最新的 5 条" in rows[-1][0]
    whole = export_events(admin, events, limit=7)
    assert (whole.rows, whole.truncated) == (7, False)


def test_a_drafts_content_stays_out_of_the_export(cast, client_for, admin):
    make_report(cast, title="草稿里的秘密标记XQ9")
    rows = sheet_of(client_for(admin).get(EXPORT))
    assert all("XQ9" not in str(cell) for row in rows for cell in row)
    assert any("所涉稿件您无权查看" in str(row[11]) for row in rows[1:])


def test_a_refused_export_writes_nothing(cast, client_for, admin):
    response = client_for(admin).get(EXPORT, {"start": "2025-02-01", "end": "2025-01-01"})
    assert response.status_code == 400
    assert "起始日期不能晚于截止日期" in response.content.decode()
    assert not Event.objects.filter(verb="export").exists()
