"""The outcomes register (采用登记): search by 流水号 or title, filters, sort, pages, counts."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from minyi.outcomes.actions import do_record_adoption, do_record_not_adopted
from minyi.outcomes.models import Forwarding
from tests.factories import make_report

pytestmark = pytest.mark.django_db
REGISTER = reverse("outcomes:pending")


@pytest.fixture
def world(cast):
    """Three published reports (two units), each forwarded to both recipients; ages differ."""
    a = make_report(cast, state="published", title="关于社区养老食堂的建议")
    b = make_report(cast, state="published", title="关于老旧小区加装电梯的建议")
    c = make_report(
        cast, by=cast.outsider, unit=cast.other_unit, state="published", title="关于河道治理的建议"
    )
    national, city = cast.recipients
    now = timezone.now()
    Forwarding.objects.filter(report=a).update(forwarded_at=now - dt.timedelta(days=90))
    Forwarding.objects.filter(report=b).update(forwarded_at=now - dt.timedelta(days=10))
    do_record_adoption(
        c.forwardings.get(recipient=national),
        cast.editor,
        kind="single",
        adopted_on=timezone.localdate(),
    )
    do_record_not_adopted(c.forwardings.get(recipient=city), cast.editor, reason="outdated")
    return {"a": a, "b": b, "c": c}


def listed(response) -> list[tuple[str, str]]:
    return [(f.report.title[2:6], f.recipient.name) for f in response.context["page"].object_list]


def test_it_finds_a_report_by_serial(cast, client_for, world):
    response = client_for(cast.editor).get(REGISTER, {"q": world["b"].serial, "state": "all"})
    assert {title for title, _ in listed(response)} == {"老旧小区"}
    assert len(listed(response)) == 2


def test_it_finds_reports_by_title_words(cast, client_for, world):
    response = client_for(cast.editor).get(REGISTER, {"q": "养老 食堂", "state": "all"})
    assert {title for title, _ in listed(response)} == {"社区养老"}


def test_it_shows_waiting_ones_longest_first_by_default(cast, client_for, world):
    response = client_for(cast.editor).get(REGISTER)
    assert [t for t, _ in listed(response)] == ["社区养老", "社区养老", "老旧小区", "老旧小区"]


def test_it_sorts_newest_and_oldest(cast, client_for, world):
    client = client_for(cast.editor)
    newest = [t for t, _ in listed(client.get(REGISTER, {"state": "all", "sort": "newest"}))]
    oldest = [t for t, _ in listed(client.get(REGISTER, {"state": "all", "sort": "oldest"}))]
    assert newest[:2] == ["河道治理", "河道治理"] and newest[-1] == "社区养老"
    assert oldest == list(reversed(newest))


def test_longest_waiting_is_oldest_first_among_all_states(cast, client_for, world):
    client = client_for(cast.editor)
    waiting = listed(client.get(REGISTER, {"state": "all", "sort": "waiting"}))
    assert waiting == listed(client.get(REGISTER, {"state": "all", "sort": "oldest"}))


def test_it_filters_by_recipient_state_unit_and_period(cast, client_for, world):
    client = client_for(cast.editor)
    city = cast.recipients[1]
    by_city = listed(client.get(REGISTER, {"state": "all", "recipient": city.pk}))
    assert {r for _, r in by_city} == {"市委"} and len(by_city) == 3
    assert listed(client.get(REGISTER, {"state": "not_adopted"})) == [("河道治理", "市委")]
    by_unit = listed(client.get(REGISTER, {"state": "all", "unit": cast.other_unit.pk}))
    assert {t for t, _ in by_unit} == {"河道治理"}
    since = (timezone.localdate() - dt.timedelta(days=20)).isoformat()
    recent = listed(client.get(REGISTER, {"state": "all", "since": since}))
    assert {t for t, _ in recent} == {"老旧小区", "河道治理"}
    until = (timezone.localdate() - dt.timedelta(days=60)).isoformat()
    old = listed(client.get(REGISTER, {"state": "all", "until": until}))
    assert {t for t, _ in old} == {"社区养老"}


def test_it_filters_overdue_by_the_recipients_allowance(cast, client_for, world):
    # Ninety days is past 20 working days; ten days is not.
    response = client_for(cast.editor).get(REGISTER, {"overdue": "on"})
    assert {t for t, _ in listed(response)} == {"社区养老"}
    assert response.context["overdue_count"] == 2


def test_it_counts_per_state_and_recipient_under_the_other_filters(cast, client_for, world):
    client = client_for(cast.editor)
    response = client.get(REGISTER)
    counts = {value: n for value, _, n in response.context["state_counts"]}
    assert counts == {"pending": 4, "adopted": 1, "not_adopted": 1, "recalled": 0}
    per_recipient = {r.name: n for r, n in response.context["recipient_counts"]}
    assert per_recipient == {"全国政协": 2, "市委": 2}
    # With a unit chosen the counts follow it.
    response = client.get(REGISTER, {"unit": cast.other_unit.pk})
    counts = {value: n for value, _, n in response.context["state_counts"]}
    assert counts == {"pending": 0, "adopted": 1, "not_adopted": 1, "recalled": 0}
    page = client.get(REGISTER, {"state": "all"}).content.decode()
    assert "待反馈 4" in page and "已采用 1" in page and "全部（6）" in page


def test_it_numbers_its_pages_and_keeps_the_filters(cast, client_for, world, monkeypatch):
    monkeypatch.setattr("minyi.desk.views_register.PAGE_SIZE", 2)
    client = client_for(cast.editor)
    response = client.get(REGISTER, {"state": "all", "sort": "oldest"})
    page = response.content.decode()
    assert response.context["page"].paginator.num_pages == 3
    assert "state=all&amp;sort=oldest&amp;page=3" in page and 'aria-current="page">1<' in page
    third = client.get(REGISTER, {"state": "all", "sort": "oldest", "page": 3})
    assert [t for t, _ in listed(third)] == ["河道治理", "河道治理"]


@pytest.mark.parametrize(
    "query",
    [
        {"page": "abc"},
        {"page": "99999"},
        {"since": "2026-13-45"},
        {"state": "bogus"},
        {"recipient": "x"},
        {"unit": "99999"},
        {"sort": "sideways"},
        {"q": "x" * 500},
    ],
    ids=str,
)
def test_it_answers_bad_filters_with_the_page_not_an_error(cast, client_for, world, query):
    response = client_for(cast.editor).get(REGISTER, query)
    assert response.status_code == 200


def test_it_says_when_the_start_is_after_the_end(cast, client_for, world):
    response = client_for(cast.editor).get(REGISTER, {"since": "2026-05-01", "until": "2026-04-01"})
    assert "起始日期不能晚于截止日期" in response.content.decode()


@pytest.mark.parametrize("name", ["member", "officer", "liaison", "approver", "leader", "outsider"])
def test_it_keeps_the_register_from_everyone_but_editors(cast, client_for, world, name):
    assert client_for(getattr(cast, name)).get(REGISTER).status_code == 403


def _exported_titles(client, query: dict[str, str]) -> list[tuple[str, str]]:
    from openpyxl import load_workbook

    response = client.get(reverse("exchange:export_forwardings"), query)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return [(row[1][2:6], row[2]) for row in sheet.iter_rows(min_row=2, values_only=True)]


@pytest.mark.parametrize(
    "query",
    [
        {"q": "养老 食堂", "state": "all"},
        {"state": "all", "unit": "other_unit"},
        {"state": "all", "since": "-20"},
        {"overdue": "on"},
        {"state": "all", "sort": "newest"},
    ],
    ids=["words", "unit", "since", "overdue", "newest"],
)
def test_its_excel_export_holds_exactly_the_rows_the_register_shows(cast, client_for, world, query):
    query = dict(query)
    if query.get("unit") == "other_unit":
        query["unit"] = str(cast.other_unit.pk)
    if query.get("since") == "-20":
        query["since"] = (timezone.localdate() - dt.timedelta(days=20)).isoformat()
    client = client_for(cast.editor)
    shown = listed(client.get(REGISTER, query))
    assert shown
    assert _exported_titles(client, query) == shown


@pytest.mark.parametrize("overdue", ["", "on"])
@pytest.mark.parametrize("state", ["", "all", "pending", "adopted", "not_adopted"])
def test_its_counts_from_one_grouped_query_equal_one_count_per_filter(cast, world, state, overdue):
    """``build`` groups by (state, recipient) once; each count must still be the rows of the
    other filters (as counted one filter at a time before), for every recipient chosen."""
    from django.db.models import Count

    from minyi.deadlines import register
    from minyi.outcomes.forms import RegisterForm

    for recipient in ["", *(str(r.pk) for r in cast.recipients)]:
        data = {"state": state, "recipient": recipient, "overdue": overdue, "q": "建议"}
        form = RegisterForm(data)
        found = register.build(cast.editor, form)

        def counts(skip: str, column: str, form=form) -> dict:
            rows = register._filtered(cast.editor, form, skip=(skip,)).order_by()
            return dict(rows.values_list(column).annotate(n=Count("id")))

        assert {k: v for k, v in found.by_state.items() if v} == counts("state", "state")
        by_recipient = {k: v for k, v in found.by_recipient.items() if v}
        assert by_recipient == counts("recipient", "recipient_id")
        late = register._filtered(cast.editor, form, skip=("overdue",))
        assert found.overdue == late.filter(register.overdue_q()).count()


#: Filters the register cannot apply, each with the field it names in its message.
BAD_FILTERS = [
    ({"since": "abc"}, "报送日期自"),
    ({"since": "0001-01-01"}, "报送日期自"),
    ({"until": "9999-12-31"}, "报送日期至"),
    ({"unit": "999999"}, "报送单位"),
    ({"sort": "bogus"}, "排序"),
]


@pytest.mark.parametrize(("bad", "label"), BAD_FILTERS, ids=str)
def test_an_invalid_filter_is_named_and_dropped_while_the_valid_ones_still_apply(
    cast, client_for, world, bad, label
):
    response = client_for(cast.editor).get(REGISTER, {"q": "养老", "state": "all", **bad})
    assert response.status_code == 200
    assert listed(response) and {t for t, _ in listed(response)} == {"社区养老"}
    page = response.content.decode()
    assert f"以下条件有误，未用于筛选：{label}。" in page


@pytest.mark.parametrize("q", ["养" * 101, "养\x00老"], ids=["long", "nul"])
def test_an_invalid_search_is_named_and_the_other_filters_still_apply(cast, client_for, world, q):
    city = cast.recipients[1]
    response = client_for(cast.editor).get(REGISTER, {"q": q, "state": "all", "recipient": city.pk})
    assert {r for _, r in listed(response)} == {"市委"} and len(listed(response)) == 3
    page = response.content.decode()
    assert "以下条件有误，未用于筛选：流水号或标题。" in page
    assert "不允许是用空字符串" not in page


@pytest.mark.parametrize(("bad", "label"), BAD_FILTERS[:1], ids=str)
def test_no_batch_adoption_is_offered_on_a_list_whose_filters_were_partly_ignored(
    cast, client_for, world, bad, label
):
    client = client_for(cast.editor)
    page = client.get(REGISTER, {"q": "养老", **bad}).content.decode()
    assert reverse("outcomes:batch_adopt") not in page and 'name="ids"' not in page
    valid = client.get(REGISTER, {"q": "养老"}).content.decode()
    assert reverse("outcomes:batch_adopt") in valid and 'name="ids"' in valid


def test_dates_in_the_wrong_order_apply_neither_and_say_so(cast, client_for, world):
    query = {"state": "all", "since": "2026-05-01", "until": "2026-04-01"}
    response = client_for(cast.editor).get(REGISTER, query)
    assert len(listed(response)) == 6
    assert "未用于筛选：报送日期自、报送日期至。" in response.content.decode()


def test_it_finds_a_serial_typed_without_its_leading_zeros(cast, client_for, world):
    year, number = world["b"].serial.split("-")
    short = f"{year}-{int(number)}"
    assert short != world["b"].serial
    response = client_for(cast.editor).get(REGISTER, {"q": short, "state": "all"})
    assert {title for title, _ in listed(response)} == {"老旧小区"}


@pytest.mark.parametrize("query", [{"until": "9999-12-31"}, {"since": "0001-01-01"}], ids=str)
def test_its_export_refuses_a_date_beyond_the_range_in_chinese(cast, client_for, world, query):
    response = client_for(cast.editor).get(reverse("exchange:export_forwardings"), query)
    assert response.status_code == 400
    assert "日期超出可选范围（2000年—2100年）" in response.content.decode()
