"""Print runs registered at once never share a 份号 (a PostgreSQL row lock on the issue)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from minyi.bulletins.distribution import do_print_copies
from minyi.bulletins.models import Issue
from tests.factories import make_report, publish

RUNS = 8
COPIES = 5

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite threads share one in-memory database poorly",
    ),
]


@pytest.mark.django_db(transaction=True)
def test_concurrent_print_runs_take_disjoint_consecutive_copy_numbers(cast):
    issue = publish(cast, [make_report(cast, state="signed_off")])
    editor = cast.editor
    assert editor.roles  # load the cached roles before the threads share the object
    start = threading.Barrier(RUNS)
    errors: list[BaseException] = []

    def run(n: int) -> None:
        try:
            start.wait()
            do_print_copies(Issue.objects.get(pk=issue.pk), editor, COPIES, [f"对象{n}"])
        except BaseException as exc:  # the main thread reports it
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(RUNS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = list(issue.copies.order_by("number").values_list("number", flat=True))
    assert numbers == list(range(1, RUNS * COPIES + 1))
    # Each run's named holder got the first copy of a block of five.
    holders = issue.copies.exclude(holder="").values_list("number", flat=True)
    assert sorted((n - 1) % COPIES for n in holders) == [0] * RUNS
