"""Category choices are grouped by first level and sorted, on every page that offers them."""

from __future__ import annotations

import re

import pytest

from minyi.reports.models import Category

pytestmark = pytest.mark.django_db


@pytest.fixture
def categories(cast):
    """Made out of order: 城市建设 (sort 2) before 教育 (sort 1), children reversed."""
    city = Category.objects.create(name="城市建设", sort_order=2)
    school = Category.objects.create(name="教育", sort_order=1)
    Category.objects.create(name="交通", parent=city, sort_order=2)
    Category.objects.create(name="住房", parent=city, sort_order=1)
    Category.objects.create(name="高校", parent=school)
    Category.objects.create(name="其他", sort_order=9)
    return city


def groups(html: str, field: str = "category") -> list[str]:
    """The select's optgroups and lone options, in order, as 'group:child,child' strings."""
    select = re.search(rf'<select name="{field}"[^>]*>(.*?)</select>', html, re.S)[1]
    found = []
    for group, body, lone in re.findall(
        r'<optgroup label="([^"]+)">(.*?)</optgroup>|<option value="\d+"[^>]*>([^<]+)</option>',
        select,
        re.S,
    ):
        if group:
            found.append(group + ":" + ",".join(re.findall(r">([^<]+)</option>", body)))
        else:
            found.append(lone)
    return found


def test_the_member_form_groups_and_sorts_and_offers_only_leaves_under_a_group(
    cast, client_for, categories
):
    html = client_for(cast.member).get("/reports/new/").text
    assert groups(html)[-3:] == ["教育:高校", "城市建设:住房,交通", "其他"]


def test_the_triage_filter_groups_and_lets_a_whole_first_level_be_chosen(
    cast, client_for, categories
):
    html = client_for(cast.editor).get("/office/triage/").text
    assert "城市建设:城市建设（全部）,住房,交通" in groups(html)
    assert groups(html).index("教育:教育（全部）,高校") < groups(html).index(
        "城市建设:城市建设（全部）,住房,交通"
    )


def test_search_and_the_workbench_use_the_same_grouping(cast, client_for, categories):
    assert "城市建设:城市建设（全部）,住房,交通" in groups(
        client_for(cast.editor).get("/search/?q=养老").text
    )


def test_a_category_that_does_not_exist_filters_nothing_and_does_not_fail(
    cast, client_for, categories
):
    response = client_for(cast.editor).get("/office/triage/?category=99999")
    assert response.status_code == 200
