"""A campaign's quotas are bounded: a number past the column's range is a form error in
Chinese, not a 500 from the database."""

from __future__ import annotations

import pytest
from django.urls import reverse

from minyi.scoring.forms import MAX_QUOTA
from minyi.scoring.models import Campaign


def _data(cast, quota: str) -> dict[str, str]:
    return {
        "name": "信息月",
        "kind": "month",
        "starts_on": "2026-05-01",
        "ends_on": "2026-05-31",
        "multiplier": "1.50",
        f"quota_{cast.unit.pk}": quota,
    }


@pytest.mark.parametrize("quota", ["99999999999999999999", str(MAX_QUOTA + 1)])
def test_it_refuses_a_quota_past_the_bound(cast, client_for, quota):
    response = client_for(cast.editor).post(reverse("scoring:campaign_new"), _data(cast, quota))
    assert response.status_code in (200, 400)
    assert f"任务数不能超过 {MAX_QUOTA} 篇" in response.content.decode()
    assert not Campaign.objects.exists()


def test_it_accepts_a_quota_at_the_bound(cast, client_for):
    response = client_for(cast.editor).post(
        reverse("scoring:campaign_new"), _data(cast, str(MAX_QUOTA))
    )
    assert response.status_code == 302
    assert Campaign.objects.get().quotas.get().quota == MAX_QUOTA


@pytest.mark.parametrize("field", ["starts_on", "ends_on"])
def test_it_refuses_a_date_beyond_the_range_in_chinese(cast, client_for, field):
    data = {**_data(cast, "3"), field: "9999-12-31"}
    response = client_for(cast.editor).post(reverse("scoring:campaign_new"), data)
    assert "日期超出可选范围（2000年—2100年）" in response.content.decode()
    assert not Campaign.objects.exists()
