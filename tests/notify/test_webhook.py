"""The webhook channel (SMS gateway / 企业微信) against a real HTTP server on this machine."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django_tasks_db.models import DBTaskResult

from minyi.notify.deliver import notify
from minyi.notify.models import Notification
from tests.deadlines.helpers import at, when

pytestmark = pytest.mark.django_db


class Receiver(ThreadingHTTPServer):
    """Records each POSTed JSON body; answers ``status`` (500 plays a gateway that is down)."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.bodies: list[dict] = []
        self.status = 200

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hook"


class Handler(BaseHTTPRequestHandler):
    server: Receiver

    def do_POST(self) -> None:  # noqa: N802 - the http.server API
        length = int(self.headers["Content-Length"])
        self.server.bodies.append(json.loads(self.rfile.read(length).decode("utf-8")))
        self.send_response(self.server.status)
        self.end_headers()
        self.wfile.write(b'{"errcode": 0}')

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def receiver(settings) -> Iterator[Receiver]:
    server = Receiver()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.NOTIFY_CHANNELS = ["email", "webhook"]
    settings.NOTIFY_WEBHOOK_URL = server.url
    yield server
    server.shutdown()
    server.server_close()


def test_it_posts_each_immediate_notification_to_the_webhook(
    mailed_cast, receiver, worker_pass, outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            [mailed_cast.member],
            verb="adopt",
            message="好消息：您的信息《甲》被市委采用（单篇采用）。",
            url="/reports/7/",
        )
    assert worker_pass() == 2  # one job per channel
    [body] = receiver.bodies
    assert body["msgtype"] == "text"
    assert "好消息：您的信息《甲》被市委采用（单篇采用）。" in body["text"]["content"]
    assert body["minyi"]["username"] == "member"
    assert body["minyi"]["kind"] == "outcome"
    assert body["minyi"]["url"] == "http://127.0.0.1:8000/reports/7/"
    assert len(outbox) == 1


def test_it_retries_a_failed_webhook_later_without_sending_the_email_twice(
    mailed_cast, receiver, worker_pass, outbox, django_capture_on_commit_callbacks
):
    receiver.status = 500
    with when(at(2025, 11, 17, 10, 0)):
        with django_capture_on_commit_callbacks(execute=True):
            notify([mailed_cast.member], verb="adopt", message="好消息：您的信息《乙》被采用。")
        worker_pass()
        failed = DBTaskResult.objects.failed().get()
        # Kept with its error for the admins, and a retry queued a minute later.
        assert failed.exception_class_path == "urllib.error.HTTPError"
        assert "HTTP Error 500" in failed.traceback
        retry = DBTaskResult.objects.get(status="READY")
        assert retry.args_kwargs["kwargs"] == {"attempt": 2}
        assert worker_pass() == 0  # not due yet
    receiver.status = 200
    with when(at(2025, 11, 17, 10, 2)):
        assert worker_pass() == 1
    assert len(receiver.bodies) == 2  # the refused one, then the retry
    assert len(outbox) == 1
    assert Notification.objects.get().delivered_at is not None


def test_it_gives_up_after_the_last_retry(
    mailed_cast, receiver, worker_pass, django_capture_on_commit_callbacks
):
    receiver.status = 500
    with when(at(2025, 11, 17, 10, 0)), django_capture_on_commit_callbacks(execute=True):
        notify([mailed_cast.member], verb="adopt", message="好消息：您的信息《丙》被采用。")
    # Retries wait 1, 5 and 30 minutes; the worker passes by after each.
    for hour, minute in ((10, 0), (10, 2), (10, 8), (10, 40), (12, 0)):
        with when(at(2025, 11, 17, hour, minute)):
            worker_pass()
    webhook_runs = DBTaskResult.objects.filter(
        args_kwargs__args=[Notification.objects.get().pk, "webhook"]
    )
    assert webhook_runs.filter(status="FAILED").count() == 4
    assert not webhook_runs.filter(status="READY").exists()
