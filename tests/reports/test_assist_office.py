"""The workbench panel: likely duplicates with the way to merge them, the suggested category."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from minyi.audit.models import Event
from minyi.reports.models import Category, State
from minyi.search.categories import load_classifier, suggest_category, train_classifier
from tests.factories import REPORT_TEXT, make_report, settle

pytestmark = pytest.mark.django_db

NEAR_COPY = {**REPORT_TEXT, "situation": REPORT_TEXT["situation"].replace("86万", "88万")}
EDUCATION = [
    "关于{}学校课后服务收费的建议",
    "关于{}中小学学位紧张的问题",
    "关于{}学校食堂饭菜质量的建议",
    "关于{}校车安全隐患的情况",
    "关于{}教师减负的建议",
]
ELDERLY = [
    "关于{}社区养老服务设施的建议",
    "关于{}老年人助餐点运营的问题",
    "关于{}养老机构护理员短缺的情况",
    "关于{}居家养老上门服务的建议",
    "关于{}失能老人长期护理保险的建议",
]
PLACES = ["东湖区", "西山区", "南岭县"]


@pytest.fixture
def model_path(settings, tmp_path):
    settings.CLASSIFIER_PATH = tmp_path / "classifier.pickle"
    return settings.CLASSIFIER_PATH


def panel(client, report):
    return client.get(reverse("office:assist", args=[report.pk]), HTTP_HX_REQUEST="true")


def _labelled_history(cast) -> Category:
    """Settled reports in two categories: elderly care (the cast's) and education."""
    education = Category.objects.create(name="教育", parent=cast.category.parent)
    for place in PLACES:
        for title in ELDERLY:
            text = title.format(place)
            make_report(cast, state="accepted", title=text, situation=f"{text}，老人和家属反映。")
        for title in EDUCATION:
            text = title.format(place)
            report = make_report(
                cast, state="accepted", title=text, situation=f"{text}，家长反映。"
            )
            report.category = education
            report.save(update_fields=["category"])
    return education


def test_it_lists_likely_duplicates_with_a_button_to_merge_into_one(cast, client_for):
    earlier = make_report(cast, state="accepted")
    later = make_report(cast, state="submitted", **NEAR_COPY)
    settle()  # the search index follows the event log
    client = client_for(cast.editor)
    html = panel(client, later).content.decode()
    assert "疑似重复" in html and earlier.title in html
    assert f'value="{earlier.serial}"' in html
    response = client.post(
        reverse("office:act", args=[later.pk, "mark_duplicate"]), {"original": earlier.serial}
    )
    assert response.status_code == 302
    later.refresh_from_db()
    assert later.state == State.MERGED and later.duplicate_of_id == earlier.pk


def test_it_says_so_when_there_is_no_duplicate(cast, client_for):
    report = make_report(cast, state="submitted")
    html = panel(client_for(cast.editor), report).content.decode()
    assert "未发现疑似重复" in html


def test_the_workbench_loads_the_panel(cast, client_for):
    report = make_report(cast, state="submitted")
    html = client_for(cast.editor).get(reverse("office:workbench", args=[report.pk])).content
    assert reverse("office:assist", args=[report.pk]) in html.decode()


def test_it_refuses_everyone_but_editors(cast, client_for):
    report = make_report(cast, state="submitted")
    for name, user in cast.everyone().items():
        if name != "editor":
            assert panel(client_for(user), report).status_code == 403, name
    # Other people's drafts stay private even from the office.
    draft = make_report(cast)
    assert panel(client_for(cast.editor), draft).status_code == 404


def test_it_has_no_suggestion_and_no_error_without_a_model(cast, client_for, model_path):
    report = make_report(cast, state="submitted")
    assert load_classifier() is None and suggest_category(report) is None
    response = panel(client_for(cast.editor), report)
    assert response.status_code == 200 and "建议类别" not in response.content.decode()


def test_it_treats_a_corrupt_model_file_as_absent(cast, model_path):
    model_path.write_bytes(b"not a model")
    assert load_classifier() is None


def test_it_trains_from_settled_reports_and_suggests_a_category(cast, client_for, model_path):
    education = _labelled_history(cast)
    result = train_classifier()
    assert result.trained and result.examples == 30 and result.categories == 2
    report = make_report(
        cast, state="submitted", title="关于北港区学校课后服务的建议", situation="家长反映。"
    )
    suggestion = suggest_category(report)
    assert suggestion is not None and suggestion.category == education
    html = panel(client_for(cast.editor), report).content.decode()
    assert "建议类别" in html and "置信度" in html and "采用建议类别" in html


def test_it_skips_training_when_nothing_changed_and_retrains_after_a_change(cast, model_path):
    _labelled_history(cast)
    assert train_classifier().trained
    stamp = model_path.stat().st_mtime_ns
    again = train_classifier()
    assert not again.trained and "没有变化" in again.message
    assert model_path.stat().st_mtime_ns == stamp
    make_report(cast, state="accepted", title="关于北港区养老驿站的建议")
    assert train_classifier().trained


def test_it_does_not_train_on_too_little_history(cast, model_path):
    make_report(cast, state="accepted")
    result = train_classifier()
    assert not result.trained and not model_path.exists()


def test_the_command_reports_what_it_did(cast, model_path):
    _labelled_history(cast)
    out = io.StringIO()
    call_command("train_classifier", stdout=out)
    call_command("train_classifier", stdout=out)
    assert "训练并保存模型" in out.getvalue() and "跳过训练" in out.getvalue()


def test_accepting_the_suggestion_records_the_editors_choice(cast, client_for, model_path):
    education = _labelled_history(cast)
    train_classifier()
    report = make_report(
        cast, state="accepted", title="关于北港区学校课后服务的建议", situation="家长反映。"
    )
    client = client_for(cast.editor)
    client.post(
        reverse("office:act", args=[report.pk, "recategorize"]),
        {"category": education.pk, "urgency": report.urgency},
    )
    report.refresh_from_db()
    assert report.category == education
    event = Event.objects.filter(report_id=report.pk, verb="recategorize").get()
    assert "教育" in event.payload["after"]["category"]


TRAFFIC = [
    "关于{}公交站点设置不合理的问题",
    "关于{}道路红绿灯时长过短的建议",
    "关于{}地铁站出口拥堵的情况",
    "关于{}出租车拒载绕路的问题",
    "关于{}客运班车超员超载的建议",
]


def _three_categories(cast) -> tuple[Category, Category]:
    """Settled history in three categories: elderly care, education and traffic."""
    education = _labelled_history(cast)
    traffic = Category.objects.create(name="交通出行", parent=cast.category.parent)
    for place in PLACES:
        for title in TRAFFIC:
            text = title.format(place)
            report = make_report(
                cast, state="accepted", title=text, situation=f"{text}，市民反映。"
            )
            report.category = traffic
            report.save(update_fields=["category"])
    return education, traffic


def test_it_shows_the_top_three_categories_with_percentages(cast, client_for, model_path):
    education, traffic = _three_categories(cast)
    assert train_classifier().trained
    report = make_report(
        cast, state="submitted", title="关于北港区学校课后服务收费的建议", situation="家长反映。"
    )
    suggestion = suggest_category(report)
    assert suggestion is not None and not suggestion.unsure
    assert [c.category for c in suggestion.candidates][0] == education
    assert {c.category for c in suggestion.candidates} == {education, traffic, cast.category}
    html = panel(client_for(cast.editor), report).content.decode()
    assert f"建议类别：<strong>{education}</strong>" in html and "采用建议类别" in html
    for candidate in suggestion.candidates:
        assert f"{candidate.category} {candidate.shown}%" in html
    assert sum(c.percent for c in suggestion.candidates) in range(98, 103)


def test_it_says_it_is_unsure_instead_of_guessing(cast, client_for, model_path):
    _three_categories(cast)
    assert train_classifier().trained
    vague = make_report(
        cast, state="submitted", title="关于北港区有关情况的反映", situation="请关注。"
    )
    suggestion = suggest_category(vague)
    assert suggestion is not None and suggestion.unsure
    html = panel(client_for(cast.editor), vague).content.decode()
    assert "类别建议：<strong>把握不大，请人工判断</strong>" in html
    assert "建议类别：" not in html and "采用建议类别" not in html
    # The candidates are still listed, so the editor sees what the model weighed.
    for candidate in suggestion.candidates:
        assert f"{candidate.category} {candidate.shown}%" in html


def test_an_unlikely_runner_up_shows_under_one_percent_not_zero(cast):
    from minyi.search.categories import Candidate

    assert Candidate(cast.category, 0.003).shown == "<1"
    assert Candidate(cast.category, 0.006).shown == "1"
    assert Candidate(cast.category, 0.94).shown == "94"
