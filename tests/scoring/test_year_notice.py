"""A scoring page asked for a year it cannot show says which year it shows instead."""

from __future__ import annotations

import pytest
from django.urls import reverse

from minyi.core import clock
from minyi.scoring.rankings import year_notice

pytestmark = pytest.mark.django_db


def test_the_notice_names_the_year_asked_for_and_the_year_shown() -> None:
    assert year_notice("1900", 2026) == "没有1900年的积分，已显示2026年。"
    assert year_notice("abc", 2026) == "年度无效，已显示2026年。"
    assert year_notice("2026", 2026) == year_notice(None, 2026) == year_notice("", 2026) == ""


def test_the_rankings_say_so_when_the_year_is_out_of_range(cast, client_for) -> None:
    shown = clock.localdate().year
    response = client_for(cast.leader).get(reverse("scoring:rankings"), {"year": "1900"})
    assert response.status_code == 200
    assert f"没有1900年的积分，已显示{shown}年。" in response.content.decode()
    plain = client_for(cast.leader).get(reverse("scoring:rankings"), {"year": str(shown)})
    assert "已显示" not in plain.content.decode()
