"""Merge (综合编报) makes a proper composite: written beside its sources, every unit credited,
never flagged as a duplicate of its own sources."""

from __future__ import annotations

import pytest
from django.urls import reverse

from minyi.audit.models import Event
from minyi.insights.stats import Filters, by_unit, funnel
from minyi.reports.models import Report, State
from minyi.reports.workflow import transition
from minyi.scoring.models import Score
from tests.factories import REPORT_TEXT, make_report, publish, settle
from tests.scoring.helpers import make_rules

pytestmark = pytest.mark.django_db

BODY = ("situation", "analysis", "suggestions")
NEAR_COPY = {**REPORT_TEXT, "situation": REPORT_TEXT["situation"].replace("86万", "88万")}

SHARED = (
    "社区养老服务中心床位不足，老年人排队等候入住时间长，家属反映强烈，希望增加床位和护理人员配置。"
)


@pytest.fixture
def sources(cast):
    first = make_report(
        cast, state="submitted", title="养老床位不足", situation=SHARED, suggestions="增加床位"
    )
    second = make_report(
        cast,
        by=cast.outsider,
        unit=cast.other_unit,
        state="accepted",
        title="护理人员短缺",
        situation="护理员工资低、流失快。",
        suggestions="提高护理员待遇",
    )
    return first, second


def merge(client, sources, **text):
    data = {"ids": [s.pk for s in sources], "title": "关于养老服务的综合建议", **text}
    return client.post(reverse("office:merge"), data)


def test_the_page_shows_the_sources_beside_a_form_that_starts_from_the_first(
    cast, client_for, sources
):
    html = client_for(cast.editor).get(reverse("office:merge"), {"ids": [s.pk for s in sources]})
    text = html.text
    assert "原稿件" in text and "提高护理员待遇" in text and "护理员工资低、流失快。" in text
    # The form starts from the first source's text, not both pasted together.
    form = text[text.index('id="composite-h"') :]
    assert f"{SHARED}</textarea>" in form
    assert "护理员工资低" not in form


def test_the_editor_writes_the_composites_text(cast, client_for, sources):
    response = merge(
        client_for(cast.editor), sources, situation="床位与护理员双双短缺。", suggestions="两条建议"
    )
    assert response.status_code == 302
    composite = Report.objects.get(is_composite=True)
    assert composite.situation == "床位与护理员双双短缺。"
    assert composite.suggestions == "两条建议" and composite.analysis == ""


def test_an_empty_body_is_refused_in_chinese_and_nothing_changes(cast, client_for, sources):
    events = Event.objects.count()
    response = merge(client_for(cast.editor), sources, situation="  ", analysis="")
    assert response.status_code == 400
    assert "综合稿的正文不能为空" in response.text
    assert not Report.objects.filter(is_composite=True).exists()
    assert Event.objects.count() == events
    assert {r.state for r in Report.objects.filter(pk__in=[s.pk for s in sources])} == {
        State.SUBMITTED,
        State.ACCEPTED,
    }


def test_others_may_not_merge(cast, client_for, sources):
    for who in (cast.member, cast.approver, cast.leader):
        assert merge(client_for(who), sources, situation="x").status_code in (403, 404)
    assert not Report.objects.filter(is_composite=True).exists()


def test_the_composite_is_never_flagged_as_a_duplicate_of_its_own_sources(cast, client_for):
    # An earlier report with nearly the same text: that one is a duplicate.
    other = make_report(cast, state="accepted", **NEAR_COPY)
    first = make_report(cast, state="submitted")
    second = make_report(cast, by=cast.outsider, unit=cast.other_unit, state="submitted")
    client = client_for(cast.editor)
    data = {"ids": [first.pk, second.pk], "title": first.title}
    client.post(reverse("office:merge"), {**data, **{k: REPORT_TEXT[k] for k in BODY}})
    composite = Report.objects.get(is_composite=True)
    settle()  # the search index
    panel = client.get(reverse("office:assist", args=[composite.pk])).text
    assert f"/office/reports/{first.pk}/" not in panel
    assert f"/office/reports/{second.pk}/" not in panel
    assert f"/office/reports/{other.pk}/" in panel


def _publish_composite(cast, client, sources) -> Report:
    merge(client, sources, situation=SHARED, suggestions="两条建议")
    composite = Report.objects.get(is_composite=True)
    transition(composite, "send_for_sign_off", cast.editor)
    transition(composite, "sign_off", cast.approver)
    publish(cast, [composite])
    settle()
    return composite


def test_every_source_unit_earns_unit_points_for_the_composite(cast, client_for, sources):
    make_rules()
    composite = _publish_composite(cast, client_for(cast.editor), sources)
    units = set(
        Score.objects.filter(report=composite, member__isnull=False).values_list(
            "unit_id", flat=True
        )
    )
    assert units == {cast.unit.pk, cast.other_unit.pk}


def test_unit_statistics_credit_every_source_unit_with_the_composite(cast, client_for, sources):
    _publish_composite(cast, client_for(cast.editor), sources)
    rows = {row[0]: row[1:] for row in by_unit(Filters(), Report.objects.all()).rows}
    # 报送 counts each unit's own source; 编发 credits the composite to both units.
    assert rows[cast.unit.label] == [1, 1, 0]
    assert rows[cast.other_unit.label] == [1, 1, 0]


def test_the_composites_page_names_every_unit(cast, client_for, sources):
    client = client_for(cast.editor)
    merge(client, sources, situation="综合情况")
    composite = Report.objects.get(is_composite=True)
    page = client.get(reverse("reports:detail", args=[composite.pk])).text
    assert f"（综合稿，另含{cast.other_unit}，统计和单位积分计入各单位）" in page


def test_the_unit_filter_finds_a_composite_by_any_of_its_sources_units(cast, client_for, sources):
    _publish_composite(cast, client_for(cast.editor), sources)
    rows = funnel(Filters(unit_id=cast.other_unit.pk), Report.objects.all()).rows
    # The unit's own source was submitted; the composite it went into was published.
    assert {row[0]: row[1] for row in rows}["报送"] == 1
    assert {row[0]: row[1] for row in rows}["编发（含直报）"] == 1


def test_a_source_units_liaison_reads_the_composite_an_outsider_does_not(cast, client_for):
    from minyi.people.models import Role
    from tests.factories import make_user

    other_liaison = make_user("liaison2", Role.LIAISON, unit=cast.other_unit)
    first = make_report(cast, state="submitted")
    second = make_report(cast, by=cast.outsider, unit=cast.other_unit, state="submitted")
    merge(client_for(cast.editor), [first, second], situation="综合情况")
    composite = Report.objects.get(is_composite=True)
    url = reverse("reports:detail", args=[composite.pk])
    # Both units' liaisons read it (its units are the union); the source's page links to it.
    assert client_for(other_liaison).get(url).status_code == 200
    assert client_for(cast.liaison).get(url).status_code == 200
    source_page = client_for(other_liaison).get(reverse("reports:detail", args=[second.pk])).text
    assert f'href="/reports/{composite.pk}/"' in source_page
    # Writing stays with the office: the liaison may not edit the composite.
    assert client_for(other_liaison).get(
        reverse("reports:edit", args=[composite.pk])
    ).status_code in (
        403,
        404,
        302,
    )
    assert client_for(cast.leader).get(url).status_code == 404
