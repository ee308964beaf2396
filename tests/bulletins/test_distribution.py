"""分发登记: printing numbered copies of an issue, who got which, and each copy's own document."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from docx import Document

from minyi.audit.models import Event
from minyi.bulletins.actions import do_create_issue
from minyi.bulletins.models import IssueCopy
from tests.factories import make_report, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(cast):
    return publish(cast, [make_report(cast, state="signed_off")])


def copies_url(issue) -> str:
    return reverse("documents:issue_copies", args=[issue.pk])


def register(client, issue, copies: str, holders: str = ""):
    return client.post(copies_url(issue), {"copies": copies, "holders": holders})


def test_it_numbers_a_print_run_and_gives_each_holder_a_copy(cast, client_for, issued):
    response = register(client_for(cast.editor), issued, "4", "全国政协\n\n 市委 \n")
    assert response.status_code == 302
    rows = list(issued.copies.values_list("number", "holder", "printed_by"))
    assert rows == [
        (1, "全国政协", cast.editor.pk),
        (2, "市委", cast.editor.pk),
        (3, "", cast.editor.pk),
        (4, "", cast.editor.pk),
    ]
    event = Event.objects.get(verb="download", payload__what="issue_copies")
    assert event.actor == cast.editor and event.payload["copies"] == 4
    assert "第000001—000004号" in event.payload["name"]
    page = client_for(cast.editor).get(copies_url(issued)).content.decode()
    assert "000001" in page and "全国政协" in page and "备用" in page


def test_it_continues_the_numbers_of_an_earlier_run(cast, client_for, issued):
    client = client_for(cast.approver)
    register(client, issued, "2", "全国政协")
    register(client, issued, "3", "市委")
    numbers = list(issued.copies.values_list("number", flat=True))
    assert numbers == [1, 2, 3, 4, 5]
    assert issued.copies.get(number=3).holder == "市委"


@pytest.mark.parametrize(
    ("copies", "holders", "message"),
    [
        ("", "", "请填写印制份数。"),
        ("0", "", "印制份数至少1份。"),
        ("501", "", "印制份数不超过500份。"),
        ("两份", "", "印制份数须是整数。"),
        ("1", "全国政协\n市委", "分发对象（2个）多于印制份数（1份）。"),
        ("1", "名" * 101, "分发对象名称不超过100字"),
    ],
)
def test_it_refuses_bad_input_in_chinese_and_registers_nothing(
    cast, client_for, issued, copies, holders, message
):
    response = register(client_for(cast.editor), issued, copies, holders)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not IssueCopy.objects.exists()
    assert not Event.objects.filter(verb="download").exists()


def test_it_prints_only_issued_issues(cast, client_for):
    draft = do_create_issue(cast.bulletin, cast.editor)
    response = register(client_for(cast.editor), draft, "2")
    assert response.status_code == 400
    assert "只有已印发的期次可以印制编号文件并登记分发。" in response.content.decode()
    assert not IssueCopy.objects.exists()


@pytest.mark.parametrize("who", ["leader", "member", "liaison", "officer", "outsider"])
def test_it_hides_the_register_from_everyone_but_the_office(cast, client_for, issued, who):
    IssueCopy.objects.create(issue=issued, number=1, holder="全国政协", printed_by=cast.editor)
    client = client_for(getattr(cast, who))
    assert client.get(copies_url(issued)).status_code == 404
    assert register(client, issued, "2").status_code == 404
    url = reverse("documents:issue_copy_docx", args=[issued.pk, 1])
    assert client.get(url).status_code == 404
    assert issued.copies.count() == 1
    assert not Event.objects.filter(verb="download").exists()


def test_it_prints_the_copy_number_on_that_copys_document_and_records_it(cast, client_for, issued):
    IssueCopy.objects.create(issue=issued, number=12, holder="市委", printed_by=cast.editor)
    response = client_for(cast.editor).get(
        reverse("documents:issue_copy_docx", args=[issued.pk, 12])
    )
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    lines = [p.text for p in Document(io.BytesIO(body)).paragraphs]
    assert lines[0] == "000012"
    assert lines[-1] == "（共印1份）"
    assert "%E7%AC%AC000012%E5%8F%B7.docx" in response["Content-Disposition"]  # 第000012号
    event = Event.objects.get(verb="download")
    assert event.payload["what"] == "issue_copy_docx" and event.payload["copy"] == 12


def test_it_answers_404_for_a_copy_number_never_registered(cast, client_for, issued):
    url = reverse("documents:issue_copy_docx", args=[issued.pk, 3])
    assert client_for(cast.editor).get(url).status_code == 404
    pdf = reverse("documents:issue_copy_pdf", args=[issued.pk, 3])
    assert client_for(cast.editor).get(pdf).status_code == 404
    assert not Event.objects.filter(verb="download").exists()


def test_the_issue_page_links_the_register_for_the_office_only(cast, client_for, issued):
    link = copies_url(issued)
    detail = reverse("bulletins:detail", args=[issued.pk])
    assert link in client_for(cast.approver).get(detail).content.decode()
    assert link not in client_for(cast.leader).get(detail).content.decode()
