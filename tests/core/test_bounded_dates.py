"""Dates outside the years a form accepts are a field error, never a 500 further down."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms

from minyi.core.fields import BoundedDateField, date_range_message
from minyi.core.wording import printable


class _Form(forms.Form):
    day = BoundedDateField(required=False)
    term_day = BoundedDateField(required=False, first_year=1950, last_year=2200)


@pytest.mark.parametrize("text", ["0001-01-01", "1999-12-31", "2101-01-01", "9999-12-31"])
def test_a_date_outside_the_default_years_is_a_field_error_in_chinese(text: str) -> None:
    form = _Form({"day": text})
    assert not form.is_valid()
    assert form.errors["day"] == ["日期超出可选范围（2000年—2100年）。"]


@pytest.mark.parametrize("text", ["2000-01-01", "2026-12-05", "2100-12-31"])
def test_a_date_inside_the_default_years_is_kept(text: str) -> None:
    form = _Form({"day": text})
    assert form.is_valid()
    assert form.cleaned_data["day"] == dt.date.fromisoformat(text)


def test_a_field_may_accept_other_years_and_says_which() -> None:
    assert _Form({"term_day": "1985-03-01"}).is_valid()
    form = _Form({"term_day": "1900-01-01"})
    assert form.errors["term_day"] == [date_range_message(1950, 2200)]
    assert "1950年—2200年" in form.errors["term_day"][0]


def test_printable_drops_control_characters_but_keeps_chinese_and_spaces() -> None:
    assert printable("选择 \x00一个\x1b有效的\u200b选项") == "选择 一个有效的选项"


def test_a_null_character_is_refused_in_plain_chinese() -> None:
    form = forms.Form()
    form.fields["q"] = forms.CharField()
    form.data, form.is_bound = {"q": "养\x00老"}, True
    assert form.errors["q"] == ["内容含有不可见的控制字符，请删除后重试。"]
