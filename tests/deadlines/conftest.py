"""The reminders' tests share the notification tests' mailed cast, worker pass and outbox."""

from tests.notify.conftest import mailed_cast, outbox, worker_pass  # noqa: F401
