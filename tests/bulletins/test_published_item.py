"""A member opens the published item that carried their report, from the report page."""

from __future__ import annotations

import pytest

from minyi.bulletins.actions import do_compose, do_create_issue
from tests.factories import make_report

pytestmark = pytest.mark.django_db


def test_the_author_opens_the_item_from_the_report_page(cast, client_for):
    report = make_report(cast, state="published", title="关于社区食堂的建议")
    item = report.issue_items.get()
    client = client_for(cast.member)
    page = client.get(f"/reports/{report.pk}/").text
    assert f'href="/bulletins/items/{item.pk}/"' in page
    assert f'编发于 <a href="/bulletins/items/{item.pk}/">{item.issue}</a>' in page
    html = client.get(f"/bulletins/items/{item.pk}/").text
    assert "关于社区食堂的建议" in html and f"{item.issue.year}年第{item.issue.number}期" in html


def test_someone_who_may_not_read_the_report_gets_404(cast, client_for):
    item = make_report(cast, state="published").issue_items.get()
    for who in (cast.outsider, cast.officer):
        response = client_for(who).get(f"/bulletins/items/{item.pk}/")
        assert response.status_code == 404, who
        assert "无权查看" in response.text


def test_an_item_of_an_issue_not_yet_issued_is_not_shown_to_its_author(cast, client_for):
    report = make_report(cast, state="signed_off")
    issue = do_create_issue(cast.bulletin, cast.editor)
    do_compose(issue, cast.editor, reports=[report], main=cast.recipients[:1])
    item = issue.items.get()
    assert client_for(cast.member).get(f"/bulletins/items/{item.pk}/").status_code == 404
    assert "编发于" not in client_for(cast.member).get(f"/reports/{report.pk}/").text


def test_a_bad_item_id_is_a_404_not_an_error(cast, client_for):
    assert client_for(cast.member).get("/bulletins/items/999999999/").status_code == 404
