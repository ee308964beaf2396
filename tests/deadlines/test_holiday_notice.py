"""Holidays beyond the calendar package: reading the State Council's notice, storing it as
overrides (clocks re-timed), and the warnings while a year has no holiday data."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest
from django.core import checks
from django.urls import reverse

from minyi.deadlines.holiday_notice import parse_notice
from minyi.deadlines.holidays import missing_holiday_years, package_covers
from minyi.deadlines.models import CalendarOverride, ReportClock
from minyi.people.models import Role
from tests.deadlines.helpers import at, when
from tests.factories import make_report, make_user, settle

HOLIDAYS = reverse("deadlines:holidays")

#: 国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号）, as published.
NOTICE_2026 = """国务院办公厅关于2026年部分节假日安排的通知
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
经国务院批准，现将2026年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
三、清明节：4月4日（周六）至6日（周一）放假，共3天。
四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。
五、端午节：6月19日（周五）至21日（周日）放假，共3天。
六、中秋节：9月25日（周五）至27日（周日）放假，共3天。
七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。
节假日期间，各地区、各部门要妥善安排好值班和安全、保卫、疫情防控等工作。
"""

#: A 2027 notice for the tests (the package knows nothing of 2027).
NOTICE_2027 = """一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：2月6日（周六）至13日（周六）放假调休，共8天。2月20日（周六）上班。
三、清明节：4月3日至5日放假，共3天。
四、劳动节：5月1日至5日放假调休，共5天。4月25日（周日）、5月8日（周六）上班。
五、端午节：6月9日至11日放假，共3天。
六、中秋节：9月15日至17日放假，共3天。
七、国庆节：10月1日至7日放假调休，共7天。9月26日（周日）、10月9日（周六）上班。"""


def admin_user():
    return make_user("admin", Role.ADMIN, display_name="系统管理员")


# --- Reading the notice --------------------------------------------------------------


def test_the_real_2026_notice_reads_exactly_as_the_calendar_package_knows_2026():
    parsed = parse_notice(NOTICE_2026, 2026)
    assert parsed.errors == [] and parsed.years == [2026]
    off = {d.day for d in parsed.days if not d.is_working_day}
    worked = {d.day for d in parsed.days if d.is_working_day}
    assert off == {day for day in chinese_calendar.holidays if day.year == 2026}
    assert worked == {day for day in chinese_calendar.workdays if day.year == 2026}
    assert {d.name for d in parsed.days if d.day == dt.date(2026, 2, 28)} == {"春节"}
    # The heading, salutation, opening and closing lines are the notice's own: passed over.
    assert parsed.warnings == []
    assert not [w for w in parsed.warnings if "括注" in w]


def test_it_reads_the_notice_wording_on_one_line_and_warns_of_a_wrong_weekday():
    text = (
        "一、元旦：1月1日（周五）放假，与周末连休。二、春节：2月15日（农历腊月二十八）至23日"
        "（农历正月初七）放假调休，共9天。2月14日（周日）、2月28日（周六）上班。"
    )
    parsed = parse_notice(text, 2027)
    assert parsed.errors == []
    assert [d.day for d in parsed.days if d.is_working_day] == [
        dt.date(2027, 2, 14),
        dt.date(2027, 2, 28),
    ]
    assert len([d for d in parsed.days if not d.is_working_day]) == 10
    assert parsed.warnings == ["第1行：2027年2月28日是周日，原文括注为周六，请核对年份与日期。"]


def test_it_reads_plain_lines_with_ranges_and_notes():
    parsed = parse_notice("2027-02-06 至 2027-02-13 放假 春节\n2月20日 上班 春节调休", 2027)
    assert parsed.errors == []
    assert len(parsed.days) == 9
    assert parsed.days[-1].is_working_day and parsed.days[-1].name == "春节"


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("2月30日 放假", "第1行：2027年2月30日不是有效日期。"),
        ("1月1日 放假\n3月1日 休整", "第2行：“3月1日 休整”没有写明放假还是上班"),
        ("二、春节：2月6日至13日放假，共9天。", "第1行“春节”：写的是共9天，但"),
        ("10月1日至7日 放假\n10月3日 上班", "第2行：2027年10月3日在第1行是放假"),
        ("10月7日至1日 放假", "第1行：2027年10月7日至2027年10月1日，结束早于开始。"),
        ("二、春节：放假调休", "第1行：“放假调休”没有可识别的日期"),
        ("与周末连休", "没有读到任何日期"),
    ],
)
def test_an_unreadable_line_is_an_error_naming_it(text, error):
    parsed = parse_notice(text, 2027)
    assert any(error in e for e in parsed.errors), parsed.errors


# --- The admin's page ------------------------------------------------------------------


@pytest.mark.django_db
def test_the_admin_previews_the_notice_and_nothing_is_stored_yet(cast, client_for):
    response = client_for(admin_user()).post(
        HOLIDAYS, {"year": "2027", "text": NOTICE_2027, "preview": "1"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "2027-02-20" in page and "上班（调休）" in page and "确认保存" in page
    assert not CalendarOverride.objects.exists()


@pytest.mark.django_db
def test_saving_stores_overrides_and_retimes_the_clocks_across_the_new_holidays(cast, client_for):
    with when(at(2027, 2, 4, 9, 0)):  # a Thursday: routine triage takes 3 working days
        report = make_report(cast, state="submitted")
    settle()
    before = ReportClock.objects.get(report=report, stage="triage").due_at
    assert before.date() < dt.date(2027, 2, 13)  # Monday–Friday only: 春节 counted as worked
    response = client_for(admin_user()).post(
        HOLIDAYS, {"year": "2027", "text": NOTICE_2027, "save": "1"}, follow=True
    )
    assert "已存入2027年节假日安排：共" in response.content.decode()
    assert CalendarOverride.objects.filter(date__year=2027).count() == 37
    spring = CalendarOverride.objects.get(date=dt.date(2027, 2, 8))
    assert not spring.is_working_day and spring.note == "春节放假（2027年国务院节假日通知）"
    assert CalendarOverride.objects.get(date=dt.date(2027, 2, 20)).is_working_day
    # 2月5日 (Fri) is worked, then the holiday to 2月13日, then 2月15日 on: later than before.
    after = ReportClock.objects.get(report=report, stage="triage").due_at
    assert after > before and after.date() >= dt.date(2027, 2, 15)
    assert 2027 not in missing_holiday_years(dt.date(2026, 12, 5))


@pytest.mark.django_db
def test_a_notice_with_any_bad_line_stores_nothing_and_says_which(cast, client_for):
    text = NOTICE_2027 + "\n八、某节：13月1日放假"
    response = client_for(admin_user()).post(HOLIDAYS, {"year": "2027", "text": text, "save": "1"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "第8行：2027年13月1日不是有效日期。" in page
    assert "未保存任何内容" in page and "确认保存" not in page
    assert not CalendarOverride.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"year": "", "text": "1月1日 放假"}, "请填写通知所属年份。"),
        ({"year": "1999", "text": "1月1日 放假"}, "年份须在 2000–2099 之间。"),
        ({"year": "2027", "text": ""}, "请粘贴通知原文"),
        ({"year": "2027", "text": "字" * 20001}, "最多20000字，现有20001字，请删减。"),
    ],
)
def test_a_bad_form_is_refused_in_chinese(cast, client_for, data, message):
    response = client_for(admin_user()).post(HOLIDAYS, {**data, "save": "1"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CalendarOverride.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["editor", "approver", "member", "leader"])
def test_only_admins_enter_holidays_and_a_refusal_stores_nothing(cast, client_for, who):
    client = client_for(getattr(cast, who))
    assert client.get(HOLIDAYS).status_code == 403
    response = client.post(HOLIDAYS, {"year": "2027", "text": NOTICE_2027, "save": "1"})
    assert response.status_code == 403
    assert not CalendarOverride.objects.exists()


# --- Warnings while a year has no holiday data ----------------------------------------


def test_the_package_knows_2026_and_not_2027():
    assert package_covers(2026) and not package_covers(2027)


@pytest.mark.django_db
def test_the_admin_home_and_the_overdue_board_warn_until_next_years_notice_is_in(cast, client_for):
    admin = admin_user()
    warning = "工作日历缺少2027年的法定节假日安排"
    with when(at(2026, 12, 5, 10, 0)):
        assert warning in client_for(admin).get(reverse("home")).content.decode()
        assert warning in client_for(cast.editor).get(reverse("deadlines:overdue")).content.decode()
        # One local holiday is not a year's notice.
        CalendarOverride.objects.create(date=dt.date(2027, 3, 3), is_working_day=False)
        assert warning in client_for(admin).get(reverse("home")).content.decode()
        client_for(admin).post(HOLIDAYS, {"year": "2027", "text": NOTICE_2027, "save": "1"})
        assert warning not in client_for(admin).get(reverse("home")).content.decode()
        board = client_for(cast.editor).get(reverse("deadlines:overdue")).content.decode()
        assert warning not in board
    with when(at(2025, 6, 1, 10, 0)):
        assert missing_holiday_years() == []


@pytest.mark.django_db
def test_the_system_check_warns_on_the_database_run_until_the_notice_is_stored(cast):
    def warned() -> list[str]:
        found = checks.run_checks(tags=[checks.Tags.database], databases=["default"])
        return [m.msg for m in found if m.id == "deadlines.W001"]

    with when(at(2026, 12, 5, 10, 0)):
        assert warned() and "2027年" in warned()[0]
        for day in parse_notice(NOTICE_2027, 2027).days:
            CalendarOverride.objects.create(date=day.day, is_working_day=day.is_working_day)
        assert warned() == []
    # Without a database the check says nothing (check --deploy stays clean).
    assert not [m for m in checks.run_checks() if m.id == "deadlines.W001"]


# --- A notice pasted verbatim, and a year's notice entered again ----------------------

#: The whole notice as the State Council publishes it: title, number, salutation, items,
#: the closing paragraph and the signature block with its date.
NOTICE_2027_VERBATIM = (
    """国务院办公厅关于2027年部分节假日安排的通知
国办发明电〔2026〕7号

各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
　　经国务院批准，现将2027年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
"""
    + "\n".join("　　" + line for line in NOTICE_2027.splitlines())
    + """
　　节假日期间，各地区、各部门要妥善安排好值班和安全、保卫、疫情防控等工作，遇有重大突发事件，要按规定及时报告并妥善处置，确保人民群众祥和平安度过节日假期。

国务院办公厅
2026年11月10日
"""
)


def test_a_notice_pasted_verbatim_with_its_signature_block_reads_like_its_items_alone():
    parsed = parse_notice(NOTICE_2027_VERBATIM, 2027)
    assert parsed.errors == []
    assert parsed.days == [
        d.__class__(d.day, d.is_working_day, d.name, d.line + 5)
        for d in parse_notice(NOTICE_2027, 2027).days
    ]
    # Title, 文号, salutation, opening and closing paragraphs, signature: all silently known.
    assert parsed.warnings == []


def test_a_line_that_is_not_the_notices_own_wording_is_still_warned_of():
    text = NOTICE_2027_VERBATIM + "请各单位认真贯彻执行\n本通知自2026年11月10日起施行，特此通知\n"
    parsed = parse_notice(text, 2027)
    assert parsed.errors == []
    assert parsed.warnings == [
        "第17行没有日期，已略过：请各单位认真贯彻执行",
        "第18行不是放假或上班的安排，已略过：本通知自2026年11月10日起施行，特此通知",
    ]


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("2027-10-01", "第2行：“2027-10-01”没有写明放假还是上班"),
        ("2027-02-06 至 2027-02-13 春节", "没有写明放假还是上班"),
        ("2月20日 春节调休", "没有写明放假还是上班"),
    ],
)
def test_a_line_that_looks_like_an_arrangement_is_still_refused(text, error):
    parsed = parse_notice(f"国务院办公厅\n{text}\n2026年11月10日", 2027)
    assert any(error in e for e in parsed.errors), parsed.errors


def test_prose_naming_a_date_without_an_arrangement_is_passed_over():
    parsed = parse_notice("本通知自2026年11月10日起施行。\n1月1日 放假 元旦", 2027)
    assert parsed.errors == [] and [d.day for d in parsed.days] == [dt.date(2027, 1, 1)]


@pytest.mark.django_db
def test_the_pasted_notice_is_saved_through_the_page(cast, client_for):
    response = client_for(admin_user()).post(
        HOLIDAYS, {"year": "2027", "text": NOTICE_2027_VERBATIM, "save": "1"}, follow=True
    )
    assert "新增37天，修改0天，删除0天" in response.content.decode()
    assert CalendarOverride.objects.filter(date__year=2027).count() == 37


@pytest.mark.django_db
def test_a_years_notice_entered_again_replaces_the_earlier_one_and_keeps_local_overrides(
    cast, client_for
):
    client = client_for(admin_user())
    client.post(HOLIDAYS, {"year": "2027", "text": NOTICE_2027, "save": "1"})
    local = CalendarOverride.objects.create(
        date=dt.date(2027, 3, 8), is_working_day=False, note="本市纪念日"
    )
    # The corrected notice: 端午 moves from 6月9日–11日 to 6月10日–12日, 国庆 loses 10月9日.
    corrected = NOTICE_2027.replace("6月9日至11日", "6月10日至12日").replace(
        "9月26日（周日）、10月9日（周六）上班", "9月26日（周日）上班"
    )
    preview = client.post(HOLIDAYS, {"year": "2027", "text": corrected, "preview": "1"})
    page = preview.content.decode()
    assert "新增1天，修改0天，删除2天" in page
    assert "2027-06-09 端午节放假（2027年国务院节假日通知）" in page
    assert "2027-10-09 国庆节调休上班（2027年国务院节假日通知）" in page
    assert CalendarOverride.objects.filter(
        date=dt.date(2027, 6, 9)
    ).exists()  # preview stores nothing
    response = client.post(HOLIDAYS, {"year": "2027", "text": corrected, "save": "1"}, follow=True)
    assert "新增1天，修改0天，删除2天" in response.content.decode()
    stored = set(CalendarOverride.objects.values_list("date", flat=True))
    assert dt.date(2027, 6, 9) not in stored and dt.date(2027, 10, 9) not in stored
    assert dt.date(2027, 6, 12) in stored
    assert CalendarOverride.objects.get(pk=local.pk).note == "本市纪念日"
    assert len(stored) == 37 - 2 + 1 + 1
