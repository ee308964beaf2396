"""The figures read from ``ReportFact`` equal the figures counted from the reports.

A history with every state, a composite of two units' reports, a duplicate, forwardings,
adoptions, a 批示, a withdrawal, a report without a member's byline, a recategorisation and
a voided issue (its reports 撤回编发), over two years. For every reader of the dashboard and
every filter, each figure of ``stats`` (the fact table) must give exactly the rows of
``stats_direct`` (the reports, as the dashboard counted them before). Runs on SQLite and,
with ``MINYI_DATABASE_URL``, on PostgreSQL.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import pytest
from django.core.management import call_command

from minyi.audit.models import ConsumerCursor
from minyi.bulletins.actions import do_void_issue
from minyi.core import clock
from minyi.insights import stats, stats_direct
from minyi.insights.facts import CONSUMER, recompute_all
from minyi.insights.models import ReportFact
from minyi.outcomes.actions import do_record_adoption, do_record_instruction
from minyi.people.models import Role, RoleAssignment, Sector, User
from minyi.reports.access import own_reports, visible_reports
from minyi.reports.actions import do_merge, do_recategorize
from minyi.reports.models import OUT_STATES, Category
from minyi.reports.workflow import transition
from tests.factories import Cast, make_report, make_user, publish, settle
from tests.insights.helpers import at, when

pytestmark = pytest.mark.django_db

YEAR = 2025


def _adopt_and_instruct(cast: Cast, report, *, instruct: bool) -> None:
    """Adopted (and instructed) on the day: the time machine's today."""
    forwarding = report.forwardings.order_by("id").first()
    today = clock.localdate()
    do_record_adoption(forwarding, cast.editor, kind="single", adopted_on=today)
    if instruct:
        do_record_instruction(
            forwarding,
            cast.editor,
            leader_name="王书记",
            leader_title="市委书记",
            level="municipal",
            text="请研究落实。",
            instructed_on=today,
        )


def _history(cast: Cast) -> None:
    """Every state, in two years, through the real actions."""
    cast.outsider.member.sector = Sector.objects.create(name="教育界")
    cast.outsider.member.save()
    with when(dt.datetime(YEAR - 1, 11, 20, 10, tzinfo=at(1, 1).tzinfo)):
        old = make_report(cast, state="published", title="去年编发的信息")
        make_report(cast, by=cast.outsider, unit=cast.other_unit, state="declined")
        _adopt_and_instruct(cast, old, instruct=False)
    with when(at(2, 10)):
        for state in ("draft", "submitted", "accepted", "returned", "awaiting_sign_off"):
            make_report(cast, state=state, title=f"状态{state}")
        make_report(cast, by=cast.officer, state="merged", title="重复稿")
        make_report(cast, by=cast.liaison, state="submitted", informant="市民李某")
        handled = make_report(cast, state="accepted", title="将调整类别")
        gone = make_report(cast, state="submitted", title="将撤回")
        transition(gone, "withdraw", cast.member)
    with when(at(3, 5)):
        sources = [
            make_report(cast, state="accepted", title="综合来源甲"),
            make_report(cast, by=cast.outsider, unit=cast.other_unit, state="accepted"),
        ]
        composite = do_merge(sources, cast.editor, title="综合稿")
        transition(composite, "send_for_sign_off", cast.editor)
        transition(composite, "sign_off", cast.approver)
    with when(at(4, 1)):
        make_report(cast, by=cast.officer, state="sent_directly", urgency="urgent")
        signed = make_report(cast, state="signed_off")
    with when(at(5, 6)):
        published = make_report(cast, state="published", title="将被采用")
        composite.refresh_from_db()
        publish(cast, [signed, composite])
        voided = make_report(cast, by=cast.outsider, unit=cast.other_unit, state="published")
        _adopt_and_instruct(cast, published, instruct=True)
        _adopt_and_instruct(cast, composite, instruct=False)
    with when(at(5, 20)):
        voided.refresh_from_db()
        do_void_issue(voided.issue_items.get().issue, cast.approver, reason="内容有误")
        parent = Category.objects.create(name="经济发展")
        child = Category.objects.create(name="营商环境", parent=parent)
        do_recategorize(handled, cast.editor, category=child, urgency="urgent")
    settle()


def _filters(cast: Cast) -> list[stats.Filters]:
    economy = Category.objects.get(name="经济发展")
    return [
        stats.Filters(),
        stats.Filters(year=YEAR),
        stats.Filters(year=YEAR - 1),
        stats.Filters(year=YEAR, quarter=2),
        stats.Filters(since=dt.date(YEAR, 3, 1), until=dt.date(YEAR, 5, 6)),
        stats.Filters(unit_id=cast.unit.pk),
        stats.Filters(year=YEAR, unit_id=cast.other_unit.pk),
        stats.Filters(sector_id=cast.outsider.member.sector_id),
        stats.Filters(category_id=economy.pk),
        stats.Filters(category_id=cast.category.pk),
        stats.Filters(category_id=cast.category.parent_id),
    ]


def _readers(cast: Cast) -> dict[str, tuple[object, bool, bool]]:
    """(user, every submitted, a leader read by state and his own reports as the page does)."""
    admin = make_user("admin2", Role.ADMIN, display_name="管理员")
    return {
        "editor": (cast.editor, True, False),
        "editor through the visible set": (cast.editor, False, False),
        "approver": (cast.approver, True, False),
        "admin": (admin, admin.is_office, False),
        "leader through the visible set": (cast.leader, False, False),
        "leader": (cast.leader, False, True),
    }


def _assert_same_figures(cast: Cast) -> int:
    compared = 0
    for reader, (user, every, by_state) in _readers(cast).items():
        base = visible_reports(user)
        own = own_reports(user) if by_state else None
        for plain in _filters(cast):
            filters = dataclasses.replace(plain, every_submitted=every, leader_own=own)
            for slug, build in stats.FIGURES.items():
                direct = stats_direct.FIGURES[slug](filters, base)
                assert build(filters, base).rows == direct.rows, (reader, filters, slug)
                compared += bool(direct.rows)
    return compared


def test_every_figure_from_the_fact_table_equals_the_figure_from_the_reports(cast: Cast) -> None:
    _history(cast)
    assert _assert_same_figures(cast) > 100
    # The history reaches what the figures tell apart: a report of each kind has a row.
    facts = ReportFact.objects.all()
    assert facts.filter(lead_member__isnull=True).exists()  # 无委员署名 (the liaison's)
    assert facts.filter(is_composite=True, adopted=True).exists()
    assert facts.filter(instructed=True, state="published").exists()
    assert facts.filter(state="signed_off", days_to_out__isnull=False).exists()  # 撤回编发
    assert facts.filter(state="withdrawn").exists() and facts.filter(state="merged").exists()


def test_the_rows_are_the_same_rebuilt_replayed_or_kept_event_by_event(cast: Cast) -> None:
    _history(cast)
    kept = sorted(ReportFact.objects.values_list())
    recompute_all()
    assert sorted(ReportFact.objects.values_list()) == kept
    # Replaying the whole log from the start changes nothing (idempotent by report).
    ConsumerCursor.objects.filter(name=CONSUMER).update(last_event_id=0)
    settle()
    assert sorted(ReportFact.objects.values_list()) == kept
    call_command("rebuild_report_facts", stdout=io.StringIO())
    assert sorted(ReportFact.objects.values_list()) == kept


def test_changes_outside_the_log_never_leave_a_row_stale(cast: Cast) -> None:
    # A member's sector and a category's parent are no report event: the fact rows keep
    # the member and the category, and their sector and parent are joined when read.
    _history(cast)
    cast.member.member.sector = Sector.objects.create(name="科技界")
    cast.member.member.save()
    cast.category.parent = None
    cast.category.save()
    assert _assert_same_figures(cast) > 100


def test_a_historical_import_is_counted_the_same_once_its_events_are_caught_up(
    cast: Cast, client_for
) -> None:
    from tests.exchange.test_historical_import import ADOPTED, DECLINED, _plan

    editor = client_for(cast.editor)
    editor.post(_plan(editor, [ADOPTED, DECLINED]) + "apply/")
    settle()  # The import's nudge after its last chunk, as the worker would.
    adopted = ReportFact.objects.get(report__title=ADOPTED[0])
    assert (adopted.month, adopted.state) == (dt.date(2019, 5, 1), "published")
    assert adopted.adopted and adopted.instructed and adopted.urgency == "urgent"
    assert ReportFact.objects.get(report__title=DECLINED[0]).state == "declined"
    base = visible_reports(cast.editor)
    for year in (None, 2019, 2020):
        filters = stats.Filters(year=year, every_submitted=True)
        for slug, build in stats.FIGURES.items():
            assert build(filters, base).rows == stats_direct.FIGURES[slug](filters, base).rows


def test_a_leader_who_writes_counts_his_own_unsent_reports_as_the_visible_set_does(
    cast: Cast,
) -> None:
    """The page reads a leader's rows by state plus his own reports (``Filters.leader_own``)."""
    _history(cast)
    RoleAssignment.objects.create(user=cast.member, role=Role.LEADER)
    leader = User.objects.get(pk=cast.member.pk)  # roles are cached on the instance
    base = visible_reports(leader)
    assert base.exclude(state__in=OUT_STATES).filter(submitted_at__isnull=False).exists()
    for plain in _filters(cast):
        filters = dataclasses.replace(plain, leader_own=own_reports(leader))
        for slug, build in stats.FIGURES.items():
            direct = stats_direct.FIGURES[slug](filters, base)
            assert build(filters, base).rows == direct.rows, (filters, slug)
