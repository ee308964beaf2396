"""What a query matches, in what order, and how the page shows it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from minyi.search import backends, search_reports
from tests.search.helpers import found, indexed

pytestmark = pytest.mark.django_db


def test_it_matches_two_character_words_inside_longer_words(cast, client_for):
    care = indexed(cast, "关于完善社区养老服务的建议")
    insurance = indexed(cast, "关于简化异地就医手续的建议", situation="医保报销跑腿多、周期长。")
    client = client_for(cast.member)
    # jieba keeps 养老服务 as one word; the two-character query must still find it.
    assert found(client, "养老") == [care.pk]
    assert found(client, "服务") == [care.pk]
    assert found(client, "医保") == [insurance.pk]
    assert found(client, "电梯") == []


def test_it_matches_a_quoted_phrase_only_in_order(cast, client_for):
    phrase = indexed(cast, "老旧小区加装电梯难题亟待破解")
    scattered = indexed(
        cast, "关于电梯维保的建议", situation="部分小区电梯老旧，加装安全装置进展缓慢。"
    )
    client = client_for(cast.member)
    assert found(client, '"老旧小区 加装电梯"') == [phrase.pk]
    assert found(client, "“老旧小区加装电梯”") == [phrase.pk]
    # Without quotes the words may appear anywhere.
    assert set(found(client, "老旧 小区 加装 电梯")) == {phrase.pk, scattered.pk}


def test_it_ranks_a_title_match_above_a_body_match(cast, client_for):
    text = "既有住宅缺少电梯，老人上下楼困难，电梯加装进度慢。"
    body = indexed(cast, "关于城市更新的几点建议", situation=text)
    title = indexed(cast, "关于推进既有住宅电梯加装的建议")
    client = client_for(cast.editor)
    assert found(client, "电梯") == [title.pk, body.pk]


def test_it_highlights_matches_and_escapes_html(cast, client_for):
    indexed(cast, "<b>养老</b>机构消防隐患", situation="部分养老机构消防通道被占用。")
    response = client_for(cast.member).get(reverse("search:results"), {"q": "养老"})
    content = response.content.decode()
    assert "&lt;b&gt;<mark>养老</mark>&lt;/b&gt;机构消防隐患" in content
    assert "部分<mark>养老</mark>机构消防通道被占用" in content
    assert "<b>养老</b>" not in content


@pytest.mark.parametrize(
    "query",
    ['"', '养老"', "*", "养老*", "OR 养老 AND", "-养老", "(养老", "养老)"]
    + ["NOT", "a:b", "'; --", "^", 'NEAR("a" "b")', "{title}:x"],
)
def test_it_never_fails_on_special_characters(cast, client_for, query):
    report = indexed(cast, "关于完善社区养老服务的建议")
    ids = found(client_for(cast.member), query)
    # Operators are plain text; where 养老 survives as a word the report is found.
    assert ids == ([report.pk] if "养老" in query else [])


def test_it_shows_a_hint_for_an_empty_query_and_needs_a_login(cast, client, client_for):
    indexed(cast, "关于完善社区养老服务的建议")
    url = reverse("search:results")
    assert client.get(url, {"q": "养老"}).status_code == 302
    response = client_for(cast.member).get(url, {"q": "  "})
    assert response.context["page"] is None
    assert "请输入要查找的关键词" in response.content.decode()


def test_it_shows_serial_state_unit_and_links_to_the_report(cast, client_for):
    report = indexed(cast, "关于完善社区养老服务的建议")
    response = client_for(cast.member).get(reverse("search:results"), {"q": "养老"})
    content = response.content.decode()
    assert report.serial in content
    assert '<span class="state state-submitted">已报送</span>' in content
    assert cast.unit.label in content
    assert reverse("reports:detail", args=[report.pk]) in content
    assert "共找到 1 篇信息" in content


def test_it_finds_a_report_as_soon_as_it_is_written_and_after_an_edit(cast):
    """The search_index consumer follows the report's events, with no rebuild."""
    from minyi.reports.actions import do_save_text
    from minyi.search import search_reports
    from tests.factories import make_report, settle

    report = make_report(cast, title="关于规范共享单车停放秩序的建议")
    settle()
    assert [hit.report.pk for hit in search_reports(cast.member, "共享单车")] == [report.pk]
    fields = {**report.text_fields(), "title": "关于治理电动自行车违规充电的建议"}
    do_save_text(report, cast.member, fields=fields, base_revision=report.revision_number)
    settle()
    assert search_reports(cast.member, "共享单车") == []
    assert [hit.report.pk for hit in search_reports(cast.member, "电动自行车")] == [report.pk]


def test_it_ranks_only_the_newest_matches_once_there_are_more_than_the_window(cast, monkeypatch):
    monkeypatch.setattr(backends, "RANK_WINDOW", 2)
    old_title = indexed(cast, "关于电梯维保的建议")
    body = {"situation": "电梯老旧。"}
    newer = [indexed(cast, f"关于城市更新第{n}项的建议", **body) for n in range(2)]
    hits = search_reports(cast.editor, "电梯", limit=2)
    if backends.get_backend().ranks_all:
        # PostgreSQL with RUM ranks every match from its index: no window to miss it.
        assert [h.report.pk for h in hits] == [old_title.pk, newer[1].pk]
        return
    # The title match would rank first, but it is older than the two newest matches.
    assert [h.report.pk for h in hits] == [newer[1].pk, newer[0].pk]
    # Asking past the window widens it, so paging still reaches every match.
    hits = search_reports(cast.editor, "电梯", limit=3)
    assert [h.report.pk for h in hits][0] == old_title.pk


def test_a_known_count_within_the_window_ranks_every_match_without_seeking_the_window(
    cast, monkeypatch
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(backends, "RANK_WINDOW", 3)
    old_title = indexed(cast, "关于电梯维保的建议")
    newer = [indexed(cast, f"关于城市更新第{n}项的建议", situation="电梯老旧。") for n in range(2)]
    with CaptureQueriesContext(connection) as sought:
        windowed = search_reports(cast.editor, "电梯", limit=2)
    with CaptureQueriesContext(connection) as counted:
        ranked = search_reports(cast.editor, "电梯", limit=2, total=3)
    # Three matches, a window of three: all ranked either way, the title match first.
    assert [h.report.pk for h in ranked] == [h.report.pk for h in windowed]
    assert ranked[0].report.pk == old_title.pk and len(newer) == 2
    if not backends.get_backend().ranks_all:
        assert len(counted.captured_queries) < len(sought.captured_queries)


def test_it_widens_the_window_to_what_the_user_may_see(cast, monkeypatch):
    monkeypatch.setattr(backends, "RANK_WINDOW", 2)
    ours = indexed(cast, "关于完善社区养老服务的建议")
    for n in range(3):
        indexed(cast, f"关于养老护理第{n}项的建议", by=cast.outsider, unit=cast.other_unit)
    # The newest matches are all another unit's; the member still gets their own.
    assert [h.report.pk for h in search_reports(cast.member, "养老")] == [ours.pk]
