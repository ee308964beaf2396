"""Issue numbers stay gap-free and unique when many approvers sign off at once.

Numbers are taken at 签发 (not at 新建), so this is the moment that must hold
under load: 40 sign-offs in one series, each in its own thread and transaction.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from minyi.bulletins.models import Issue, IssueState
from tests.bulletins.helpers import awaiting_issue, sign_off, signed_off

ISSUES = 40

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite threads share one in-memory database poorly",
    ),
]


@pytest.mark.django_db(transaction=True)
def test_forty_concurrent_sign_offs_take_forty_consecutive_numbers(cast):
    issues = [awaiting_issue(cast, [signed_off(cast, f"第{n}篇建议")]) for n in range(ISSUES)]
    approver = cast.approver
    assert approver.roles  # load the cached roles before the threads share the object
    start = threading.Barrier(ISSUES)
    errors: list[BaseException] = []

    def sign(issue: Issue) -> None:
        try:
            start.wait()
            sign_off(Issue.objects.get(pk=issue.pk), approver)
        except BaseException as exc:  # the main thread reports it
            errors.append(exc)
        finally:
            # Each thread opened its own connection; leave none behind for teardown.
            connection.close()

    threads = [threading.Thread(target=sign, args=(issue,)) for issue in issues]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    rows = Issue.objects.filter(bulletin=cast.bulletin)
    assert set(rows.values_list("state", flat=True)) == {IssueState.ISSUED}
    assert sorted(rows.values_list("number", flat=True)) == list(range(1, ISSUES + 1))
    assert sorted(rows.values_list("cumulative_number", flat=True)) == list(range(1, ISSUES + 1))
    # Each issue's number and cumulative number were taken together, in the same order.
    assert all(n == c for n, c in rows.values_list("number", "cumulative_number"))
