"""Issue numbers stay gap-free and unique when many editors create issues at once."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from minyi.bulletins.actions import do_create_issue
from minyi.bulletins.models import Issue

THREADS = 8
PER_THREAD = 5

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite threads share one in-memory database poorly",
    ),
]


@pytest.mark.django_db(transaction=True)
def test_it_numbers_concurrent_issues_one_to_forty_without_gaps(cast):
    editor, bulletin = cast.editor, cast.bulletin
    assert editor.roles  # load the cached roles before the threads share the object
    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def create_issues() -> None:
        try:
            start.wait()
            for _ in range(PER_THREAD):
                do_create_issue(bulletin, editor)
        except BaseException as exc:  # the main thread reports it
            errors.append(exc)
        finally:
            # Each thread opened its own connection; leave none behind for teardown.
            connection.close()

    threads = [threading.Thread(target=create_issues) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(Issue.objects.filter(bulletin=bulletin).values_list("number", flat=True))
    assert numbers == list(range(1, THREADS * PER_THREAD + 1))
