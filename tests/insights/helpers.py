"""A small known history for the dashboard tests, built through the real actions.

In 2025 (Beijing time):
- r1 routine, 民盟, submitted 03-03, published 03-13 (10 days); adopted by
  全国政协 on 03-20 (7 days) and by 市委 on 03-16 (3 days); 批示 on 全国政协's.
- r2 routine, 民盟, submitted 03-05, published with r1 on 03-13 (8 days).
- r3 urgent, 民盟 (the information officer), submitted 04-01, sent directly 04-02 (1 day).
- r4 routine, 九三学社 (the outsider, 教育界), category 经济发展/营商环境,
  submitted 05-06, still waiting.
So the funnel is 4 → 3 → 1 → 1.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import time_machine
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from minyi.outcomes.actions import do_record_adoption, do_record_instruction
from minyi.outcomes.models import Forwarding
from minyi.people.models import Sector
from minyi.reports.models import Category, Report
from minyi.reports.workflow import transition
from tests.factories import Cast, make_report, publish

SHANGHAI = ZoneInfo("Asia/Shanghai")
YEAR = 2025


def at(month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(YEAR, month, day, hour, tzinfo=SHANGHAI)


@contextmanager
def when(moment: dt.datetime) -> Iterator[None]:
    with time_machine.travel(moment, tick=False):
        yield


@dataclass
class History:
    r1: Report
    r2: Report
    r3: Report
    r4: Report
    other_category: Category


def _adopt(cast: Cast, report: Report, recipient_index: int, on: dt.date) -> Forwarding:
    forwarding = Forwarding.objects.get(report=report, recipient=cast.recipients[recipient_index])
    do_record_adoption(forwarding, cast.editor, kind="single", adopted_on=on)
    return forwarding


def make_history(cast: Cast) -> History:
    education = Sector.objects.create(name="教育界")
    cast.outsider.member.sector = education
    cast.outsider.member.save()
    with when(at(3, 3)):
        r1 = make_report(cast, state="signed_off", title="关于社区养老的建议")
    with when(at(3, 5)):
        r2 = make_report(cast, state="signed_off", title="关于老年食堂的建议")
    with when(at(3, 13)):
        publish(cast, [r1, r2])
    with when(at(3, 20)):
        national = _adopt(cast, r1, 0, dt.date(YEAR, 3, 20))
        _adopt(cast, r1, 1, dt.date(YEAR, 3, 16))
        do_record_instruction(
            national,
            cast.editor,
            leader_name="王书记",
            leader_title="市委书记",
            level="municipal",
            text="请民政局研究落实。",
            instructed_on=dt.date(YEAR, 3, 20),
        )
    with when(at(4, 1)):
        r3 = make_report(cast, by=cast.officer, state="signed_off", urgency="urgent")
    with when(at(4, 2)):
        transition(r3, "send_directly", cast.editor)
    with when(at(5, 6)):
        r4 = make_report(cast, by=cast.outsider, state="submitted", unit=cast.other_unit)
    parent = Category.objects.create(name="经济发展")
    child = Category.objects.create(name="营商环境", parent=parent)
    Report.objects.filter(pk=r4.pk).update(category=child)
    for report in (r1, r2, r3, r4):
        report.refresh_from_db()
    return History(r1, r2, r3, r4, parent)


def xlsx_url(slug: str) -> str:
    return reverse("insights:figure_xlsx", args=[slug])


def figure_sheet(client: Client, slug: str, **params: object) -> tuple[str, list[list]]:
    """Download one figure's XLSX and read it back: (sheet title, rows incl. headers)."""
    query = {"year": YEAR, **params}
    response = client.get(xlsx_url(slug), query)
    assert response.status_code == 200, response.content[:200]
    sheet = load_workbook(io.BytesIO(response.content)).active
    return sheet.title, [list(row) for row in sheet.iter_rows(values_only=True)]


def figure_rows(client: Client, slug: str, **params: object) -> list[list]:
    return figure_sheet(client, slug, **params)[1][1:]
