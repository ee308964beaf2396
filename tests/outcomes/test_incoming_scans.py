"""收文登记: a scan attached to an adoption or a 批示, listed in the register, downloads logged."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from minyi.audit.models import Event
from minyi.core import clock
from minyi.outcomes.actions import do_record_adoption, do_record_instruction
from minyi.outcomes.models import IncomingScan
from minyi.outcomes.scans import SCAN_MAX_BYTES
from tests.factories import make_report

PDF = b"%PDF-1.4\n% scan of an instruction\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


@pytest.fixture
def forwarding(cast):
    report = make_report(cast, state="published")
    found = report.forwardings.get(recipient__name="全国政协")
    do_record_adoption(found, cast.editor, kind="single", adopted_on=clock.localdate())
    return found


def _post(client, forwarding, content=PDF, name="批示件.pdf", **extra):
    data = {
        "scan": SimpleUploadedFile(name, content),
        "received_on": clock.localdate().isoformat(),
        "doc_number": "省府办〔2026〕12号",
        **extra,
    }
    return client.post(reverse("outcomes:attach_scan", args=[forwarding.pk]), data, follow=True)


def test_the_editor_attaches_scans_to_an_adoption_and_a_批示(cast, client_for, forwarding):
    instruction = do_record_instruction(
        forwarding,
        cast.editor,
        leader_name="王某",
        leader_title="副省长",
        level="provincial",
        text="请研究。",
        instructed_on=clock.localdate(),
    )
    editor = client_for(cast.editor)
    assert "已登记收文扫描件" in _post(editor, forwarding).content.decode()
    _post(editor, forwarding, PNG, "批示件.png", instruction=str(instruction.pk))
    adoption_scan, instruction_scan = IncomingScan.objects.order_by("pk")
    assert adoption_scan.adoption == forwarding.adoption
    assert adoption_scan.content_type == "application/pdf"
    assert instruction_scan.instruction == instruction
    assert instruction_scan.content_type == "image/png"
    assert adoption_scan.doc_number == "省府办〔2026〕12号"
    assert Event.objects.filter(verb="attach", report_id=forwarding.report_id).count() == 2
    page = editor.get(reverse("outcomes:forwarding", args=[forwarding.pk])).content.decode()
    assert "批示件.pdf" in page and "批示件.png" in page


def test_a_bad_scan_is_refused_in_chinese_and_nothing_is_stored(cast, client_for, forwarding):
    editor = client_for(cast.editor)
    before = Event.objects.count()
    too_big = b"%PDF" + b"0" * SCAN_MAX_BYTES
    tomorrow = (clock.localdate() + dt.timedelta(days=1)).isoformat()
    for content, name, extra, message in (
        (b"MZ\x90\x00 not a pdf", "批示件.pdf", {}, "文件内容与扩展名 .pdf 不符"),
        (PDF, "批示件.docx", {}, "扫描件只能是 PDF、JPG 或 PNG 文件"),
        (too_big, "大.pdf", {}, "扫描件太大（上限 10 MB）"),
        (PDF, "批示件.pdf", {"received_on": tomorrow}, "收文日期不能晚于今天"),
        (PDF, "批示件.pdf", {"received_on": "2026/13/40"}, "收文日期格式不对"),
        (PDF, "批示件.pdf", {"doc_number": "省" * 101}, "来文文号最多100字，现有101字，请删减。"),
    ):
        response = _post(editor, forwarding, content, name, **extra)
        assert message in response.content.decode(), message
    assert not IncomingScan.objects.exists() and Event.objects.count() == before


def test_other_roles_may_not_attach_list_or_download(cast, client_for, forwarding):
    _post(client_for(cast.editor), forwarding)
    scan = IncomingScan.objects.get()
    for role in (cast.member, cast.liaison, cast.leader, cast.outsider):
        client = client_for(role)
        before = Event.objects.count()
        assert _post(client, forwarding).status_code in (403, 404)
        assert client.get(reverse("outcomes:incoming")).status_code == 403
        assert client.get(reverse("outcomes:scan_file", args=[scan.pk])).status_code == 403
        assert IncomingScan.objects.count() == 1 and Event.objects.count() == before


def test_the_register_filters_by_year_and_recipient_and_logs_downloads(
    cast, client_for, forwarding
):
    _post(client_for(cast.editor), forwarding)
    scan = IncomingScan.objects.get()
    approver = client_for(cast.approver)
    this_year = clock.localdate().year
    page = approver.get(reverse("outcomes:incoming"), {"year": this_year}).content.decode()
    assert "省府办〔2026〕12号" in page and forwarding.report.title in page
    other_year = approver.get(reverse("outcomes:incoming"), {"year": this_year - 3})
    assert "省府办〔2026〕12号" not in other_year.content.decode()
    other = cast.recipients[1]
    by_recipient = approver.get(reverse("outcomes:incoming"), {"recipient": other.pk})
    assert "暂无收文登记" in by_recipient.content.decode()
    response = approver.get(reverse("outcomes:scan_file", args=[scan.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    event = Event.objects.get(verb="download")
    assert event.payload["what"] == "incoming_scan" and event.report_id == forwarding.report_id


def test_a_100_character_doc_number_is_stored_whole(cast, client_for, forwarding):
    _post(client_for(cast.editor), forwarding, doc_number="号" * 100)
    assert IncomingScan.objects.get().doc_number == "号" * 100
