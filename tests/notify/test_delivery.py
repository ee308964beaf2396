"""Preferences decide how a notification leaves the app: at once, in the digest, or not at all."""

from __future__ import annotations

import pytest

from minyi.notify.kinds import Delivery
from minyi.notify.models import KindPolicy, Notification, Preference
from minyi.reports.workflow import transition
from tests.factories import make_report

pytestmark = pytest.mark.django_db


def accept(cast, report, capture) -> None:
    with capture(execute=True):
        transition(report, "accept", cast.editor)


def test_it_emails_an_author_at_once_by_default_after_the_worker_runs(
    mailed_cast, worker_pass, outbox, django_capture_on_commit_callbacks
):
    report = make_report(mailed_cast, state="submitted")
    accept(mailed_cast, report, django_capture_on_commit_callbacks)
    # Nothing is sent inside the request: the worker sends it.
    assert outbox == []
    assert worker_pass() == 1
    [message] = outbox
    assert message.to == ["member@example.org"]
    assert "我的信息进展" in message.subject
    assert f"您的信息《{report.title}》已被研究室受理。" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f"您的信息《{report.title}》已被研究室受理。" in html
    assert f"http://127.0.0.1:8000/reports/{report.pk}/" in html
    note = Notification.objects.get(user=mailed_cast.member)
    assert note.delivery == Delivery.IMMEDIATE and note.delivered_at is not None


def test_it_sends_an_immediate_email_once_even_when_the_task_runs_twice(
    mailed_cast, worker_pass, outbox, django_capture_on_commit_callbacks
):
    from minyi.notify.tasks import send_notification

    report = make_report(mailed_cast, state="submitted")
    accept(mailed_cast, report, django_capture_on_commit_callbacks)
    note = Notification.objects.get(user=mailed_cast.member)
    send_notification.enqueue(note.pk)  # the same job queued a second time
    assert worker_pass() == 2
    assert len(outbox) == 1


def test_it_keeps_digest_notifications_out_of_immediate_email(
    mailed_cast, worker_pass, outbox, django_capture_on_commit_callbacks
):
    Preference.objects.create(
        user=mailed_cast.member, kind="report_status", delivery=Delivery.DIGEST
    )
    report = make_report(mailed_cast, state="submitted")
    accept(mailed_cast, report, django_capture_on_commit_callbacks)
    worker_pass()
    assert outbox == []
    note = Notification.objects.get(user=mailed_cast.member)
    assert note.delivery == Delivery.DIGEST and note.delivered_at is None


def test_it_sends_nothing_for_a_kind_switched_off_but_keeps_it_in_the_app(
    mailed_cast, worker_pass, outbox, django_capture_on_commit_callbacks
):
    Preference.objects.create(user=mailed_cast.member, kind="report_status", delivery=Delivery.OFF)
    report = make_report(mailed_cast, state="submitted")
    accept(mailed_cast, report, django_capture_on_commit_callbacks)
    worker_pass()
    assert outbox == []
    # The in-app list is the record of feedback: it always keeps the notification.
    assert Notification.objects.get(user=mailed_cast.member).delivery == Delivery.OFF


def test_it_sends_a_mandatory_kind_at_once_even_if_the_user_had_switched_it_off(
    mailed_cast, worker_pass, outbox, django_capture_on_commit_callbacks
):
    KindPolicy.objects.update_or_create(kind="report_status", defaults={"mandatory": True})
    Preference.objects.create(user=mailed_cast.member, kind="report_status", delivery=Delivery.OFF)
    report = make_report(mailed_cast, state="submitted")
    accept(mailed_cast, report, django_capture_on_commit_callbacks)
    worker_pass()
    assert [m.to for m in outbox] == [["member@example.org"]]


def test_it_sends_nothing_when_the_action_is_rolled_back(
    mailed_cast, worker_pass, outbox, django_capture_on_commit_callbacks
):
    from django.db import transaction

    report = make_report(mailed_cast, state="submitted")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        transition(report, "accept", mailed_cast.editor)
        transaction.set_rollback(True)
    worker_pass()
    assert outbox == []
    assert not Notification.objects.filter(user=mailed_cast.member).exists()


def test_it_skips_email_for_a_user_without_an_address(
    cast, worker_pass, outbox, django_capture_on_commit_callbacks
):
    report = make_report(cast, state="submitted")
    accept(cast, report, django_capture_on_commit_callbacks)
    worker_pass()
    assert outbox == []
    assert Notification.objects.get(user=cast.member).delivered_at is not None
