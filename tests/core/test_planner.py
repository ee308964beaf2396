"""planner_settings: a planner setting lasts for the block only, even inside a transaction."""

from __future__ import annotations

import pytest
from django.db import connection

from minyi.core.planner import planner_settings

pytestmark = pytest.mark.django_db


def _current(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {name}")
        return cursor.fetchone()[0]


def test_the_setting_applies_inside_the_block_and_not_after_it():
    if connection.vendor != "postgresql":
        pytest.skip("planner settings exist on PostgreSQL only")
    before = _current("enable_indexscan")
    with planner_settings(enable_indexscan="off"):
        assert _current("enable_indexscan") == "off"
    # The test itself runs in a transaction: a bare SET LOCAL would still be in force.
    assert _current("enable_indexscan") == before


def test_a_failing_block_leaves_the_setting_as_it_was():
    if connection.vendor != "postgresql":
        pytest.skip("planner settings exist on PostgreSQL only")
    before = _current("max_parallel_workers_per_gather")
    with pytest.raises(ZeroDivisionError), planner_settings(max_parallel_workers_per_gather=0):
        1 / 0  # noqa: B018
    assert _current("max_parallel_workers_per_gather") == before


def test_it_yields_a_working_cursor_on_either_database():
    with planner_settings(enable_indexscan="off") as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone()[0] == 1
