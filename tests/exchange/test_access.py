"""Who may use which exchange page: every role that must be refused is refused.

Roster pages are for 系统管理员, report imports and the forwardings export for 信息编辑;
the report export is open to anyone signed in but holds only what they may see
(see test_exports), except its triage list, which is the editor's. A refused POST
imports nothing.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from minyi.audit.models import Event
from minyi.exchange.models import ImportJob, ImportKind
from minyi.people.models import Member
from minyi.reports.models import Report

EVERYONE = ("member", "officer", "liaison", "editor", "approver", "leader", "outsider", "admin")


def everyone_but(*allowed: str) -> tuple[str, ...]:
    return tuple(name for name in EVERYONE if name not in allowed)


ADMIN_ONLY = everyone_but("admin")
EDITOR_ONLY = everyone_but("editor")

# (url name, needs a job of this kind, method, query, roles refused)
ROWS = [
    ("exchange:roster_import", None, "get", {}, ADMIN_ONLY),
    ("exchange:roster_import", None, "post", {}, ADMIN_ONLY),
    ("exchange:roster_plan", ImportKind.ROSTER, "get", {}, ADMIN_ONLY),
    ("exchange:roster_apply", ImportKind.ROSTER, "post", {}, ADMIN_ONLY),
    ("exchange:export_roster", None, "get", {}, ADMIN_ONLY),
    ("exchange:reports_import", None, "get", {}, EDITOR_ONLY),
    ("exchange:reports_import", None, "post", {}, EDITOR_ONLY),
    ("exchange:reports_mapping", ImportKind.REPORTS, "get", {}, EDITOR_ONLY),
    ("exchange:reports_plan", ImportKind.REPORTS, "get", {}, EDITOR_ONLY),
    ("exchange:reports_apply", ImportKind.REPORTS, "post", {}, EDITOR_ONLY),
    ("exchange:reports_progress", ImportKind.REPORTS, "get", {}, EDITOR_ONLY),
    ("exchange:export_forwardings", None, "get", {}, EDITOR_ONLY),
    ("exchange:export_reports", None, "get", {"list": "triage"}, EDITOR_ONLY),
]


@pytest.fixture
def people(cast, admin):
    return {**cast.everyone(), "admin": admin}


@pytest.fixture
def jobs(people):
    """A planned job of each kind, uploaded by the one role allowed to use it."""
    roster = [["新委员", "", "", "", "否", "13900000000"]]
    plan = [
        {
            "line": 2,
            "values": {"title": "t"},
            "problems": [],
            "unit_id": None,
            "category_id": None,
            "urgency": "routine",
            "date": None,
            "author_ids": [],
            "informant": "某人",
        }
    ]
    return {
        ImportKind.ROSTER: ImportJob.objects.create(
            kind=ImportKind.ROSTER,
            created_by=people["admin"],
            headers=["姓名", "界别", "单位", "职务", "是否特约信息员", "手机"],
            rows=roster,
            plan=[
                {
                    "line": 2,
                    "action": "create",
                    "member_id": None,
                    "cells": {},
                    "wanted": {
                        "name": "新委员",
                        "phone": "13900000000",
                        "sector_id": None,
                        "title": "",
                        "is_information_officer": False,
                        "unit_ids": [],
                    },
                }
            ],
            total=1,
        ),
        ImportKind.REPORTS: ImportJob.objects.create(
            kind=ImportKind.REPORTS,
            created_by=people["editor"],
            headers=["标题"],
            rows=[["t"]],
            mapping={"title": 0},
            plan=plan,
            total=1,
        ),
    }


CASES = [(row, who) for row in ROWS for who in row[4]]


@pytest.mark.parametrize(("row", "who"), CASES, ids=[f"{r[0]}-{r[2]}-{w}" for r, w in CASES])
def test_it_refuses_every_role_that_may_not_use_the_page(row, who, people, jobs, client_for):
    url_name, kind, method, query, _ = row
    args = [jobs[kind].pk] if kind else []
    url = reverse(url_name, args=args)
    counts = (Event.objects.count(), Member.objects.count(), Report.objects.count())
    client = client_for(people[who])
    response = client.get(url, query) if method == "get" else client.post(url, query)
    # 403 for the wrong role; 404 where the role is right but the job is someone else's.
    assert response.status_code in (403, 404), response.status_code
    assert (Event.objects.count(), Member.objects.count(), Report.objects.count()) == counts


@pytest.mark.parametrize("row", ROWS, ids=[f"{r[0]}-{r[2]}" for r in ROWS])
def test_it_sends_anonymous_visitors_to_the_login_page(row, jobs, client):
    url_name, kind, method, query, _ = row
    url = reverse(url_name, args=[jobs[kind].pk] if kind else [])
    response = client.get(url, query) if method == "get" else client.post(url, query)
    assert response.status_code == 302 and "/login/" in response.url


def test_the_allowed_role_gets_through_on_the_same_setup(people, jobs, client_for):
    admin, editor = client_for(people["admin"]), None
    assert admin.get(reverse("exchange:roster_import")).status_code == 200
    assert (
        admin.get(reverse("exchange:roster_plan", args=[jobs[ImportKind.ROSTER].pk])).status_code
        == 200
    )
    editor = client_for(people["editor"])
    for name in ("exchange:reports_plan", "exchange:reports_progress", "exchange:reports_mapping"):
        assert editor.get(reverse(name, args=[jobs[ImportKind.REPORTS].pk])).status_code == 200
    assert editor.get(reverse("exchange:reports_import")).status_code == 200
    assert editor.get(reverse("exchange:export_forwardings")).status_code == 200
    assert editor.get(reverse("exchange:export_reports"), {"list": "triage"}).status_code == 200


@pytest.mark.parametrize("who", ["member", "officer", "liaison", "approver", "leader", "outsider"])
def test_anyone_signed_in_may_export_their_own_view_of_the_reports(who, people, client_for):
    response = client_for(people[who]).get(reverse("exchange:export_reports"), {"list": "mine"})
    assert response.status_code == 200
