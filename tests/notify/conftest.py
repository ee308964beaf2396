"""Shared setup for the notification tests: the cast with email addresses, and a worker pass."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core import mail

from minyi.notify.worker import run_ready_tasks
from tests.factories import Cast


@pytest.fixture
def mailed_cast(cast: Cast) -> Cast:
    """The cast, each with an address, so email can reach them."""
    for user in cast.everyone().values():
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
    return cast


@pytest.fixture
def worker_pass(django_capture_on_commit_callbacks) -> Callable[..., int]:
    """Run every ready background task, as one pass of a worker with the given id."""

    def run(worker_id: str = "worker-1") -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return run_ready_tasks(worker_id)

    return run


@pytest.fixture
def outbox() -> list[mail.EmailMessage]:
    mail.outbox.clear()
    return mail.outbox
