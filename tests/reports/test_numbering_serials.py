"""Report serials (流水号): never reused, never skipped (#15 §1).

A serial is taken from the locked counter inside the transaction that submits the
report; a submission refused after taking it rolls the counter back with it, so no
serial burns. Reports are never deleted and keep their serial through 撤回 and
重新报送, so a serial is never given twice or left without its report.
"""

from __future__ import annotations

import pytest

from minyi.audit.statemachine import ActionRefused
from minyi.core import clock
from minyi.core.models import Counter
from minyi.reports.actions import do_submit
from minyi.reports.models import Report
from minyi.reports.workflow import transition
from tests.factories import make_report

pytestmark = pytest.mark.django_db


def last_serial() -> int:
    found = Counter.objects.filter(key="report", year=clock.localdate().year).first()
    return found.last if found else 0


def test_a_submission_refused_after_taking_a_serial_gives_it_back(cast):
    report = make_report(cast)
    stale = Report.objects.get(pk=report.pk)
    do_submit(report, cast.member)
    taken = last_serial()
    # The stale copy has no serial yet: it takes the next one, then the move is refused.
    with pytest.raises(ActionRefused, match="已被他人处理"):
        do_submit(stale, cast.member)
    assert last_serial() == taken
    assert Report.objects.get(pk=report.pk).serial.endswith(f"{taken:04d}")
    other = make_report(cast, state="submitted")
    assert other.serial.endswith(f"{taken + 1:04d}")


def test_withdrawing_and_submitting_again_keeps_the_serial(cast):
    report = make_report(cast, state="submitted")
    serial = report.serial
    transition(report, "withdraw", cast.member)
    do_submit(report, cast.member)
    report.refresh_from_db()
    assert report.serial == serial
    assert Report.objects.filter(serial=serial).count() == 1


def test_serials_run_without_gaps(cast):
    reports = [make_report(cast, state="submitted") for _ in range(5)]
    numbers = sorted(int(r.serial.split("-")[1]) for r in reports)
    assert numbers == list(range(numbers[0], numbers[0] + 5))
