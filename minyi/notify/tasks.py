"""Notify's background jobs: sending one notification, and the daily digest.

Each job is a plain function (``sending``, ``digest``) wrapped here as a task
with ``core.jobs.job``, so the same work runs from a test or the worker. The
module is imported by ``NotifyConfig.ready()``, which registers the digest as
a periodic job.
"""

from __future__ import annotations

from django.conf import settings

from minyi.core.jobs import daily_at, job, register_periodic
from minyi.notify import digest, sending


@job
def send_notification(notification_id: int, channel: str = "email") -> bool:
    return sending.send_notification_now(notification_id, channel)


@job
def send_digests() -> int:
    return digest.send_digests()


register_periodic(
    "daily_digest",
    "每日汇总邮件",
    send_digests,
    daily_at(settings.NOTIFY_DIGEST_TIME),
    f"每天 {settings.NOTIFY_DIGEST_TIME}",
)
