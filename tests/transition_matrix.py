"""Tests generated from a state machine's table, shared by every stateful model.

For each row (state, action) of a ``Machine``: the move is allowed for every
person whose role (or relation) the row names, and refused for everyone else;
for each action: refused to everyone from every state the table has no row for.
A refusal changes nothing: the row keeps every field and no event is written.
A new row in a table is tested without writing a new test.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

import pytest
from django.db import models

from minyi.audit.models import Event
from minyi.audit.statemachine import ActionRefused, Machine, Move
from minyi.people.models import Role, User
from tests.factories import Cast, make_user

Row = tuple[tuple[str, str], Move]
#: Who in ``people()`` holds each role or relation a table may name.
ROLE_HOLDERS: dict[str, tuple[str, ...]] = {
    Role.EDITOR: ("editor",),
    Role.APPROVER: ("approver",),
    Role.ADMIN: ("admin",),
    Role.LEADER: ("leader",),
}
NO_RELATIONS: Mapping[str, tuple[str, ...]] = {}


def people(cast: Cast) -> dict[str, User]:
    """The fixed cast plus a system administrator: everyone a move can be tried by."""
    admin = User.objects.filter(username="admin").first()
    return {**cast.everyone(), "admin": admin or make_user("admin", Role.ADMIN)}


def rows(machine: Machine[Any]) -> list[Row]:
    return sorted(machine.table.items(), key=lambda item: item[0])


def row_ids(table: list[Row]) -> list[str]:
    return [f"{state}-{action}" for (state, action), _ in table]


def allowed_names(move: Move, holders: Mapping[str, tuple[str, ...]]) -> set[str]:
    merged = {**ROLE_HOLDERS, **holders}
    return {name for role in move.roles for name in merged[role]}


def wrong_states(machine: Machine[Any], action: str) -> list[str]:
    right = {state for (state, a) in machine.table if a == action}
    return [state for state in machine.states if state not in right]


def put_in(obj: models.Model, state: str) -> Any:
    """Set the state directly: the moves that lead there have rows of their own."""
    type(obj)._default_manager.filter(pk=obj.pk).update(state=state)
    obj.refresh_from_db()
    return obj


def snapshot(obj: models.Model) -> tuple[dict[str, Any], int]:
    """Every stored field of the row, and how many events it has."""
    row = type(obj)._default_manager.filter(pk=obj.pk).values().get()
    events = Event.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
    return row, events.count()


def assert_allowed(
    machine: Machine[Any],
    make: Callable[[], Any],
    everyone: Mapping[str, User],
    row: Row,
    holders: Mapping[str, tuple[str, ...]] = NO_RELATIONS,
) -> None:
    (state, action), move = row
    names = allowed_names(move, holders)
    assert names, f"no one in the cast may {action}"
    for name in sorted(names):
        obj = put_in(make(), state)
        _, before = snapshot(obj)
        machine.transition(obj, action, everyone[name], note="测试理由")
        stored, after = snapshot(obj)
        assert stored["state"] == move.target == obj.state, name
        assert after == before + 1, name
        event = Event.objects.filter(
            object_type=obj._meta.label_lower, object_id=str(obj.pk)
        ).latest("id")
        assert event.verb == machine.verb(action, move) and event.actor == everyone[name]
        assert (event.payload["from"], event.payload["to"]) == (state, move.target)


def assert_refused_to_others(
    machine: Machine[Any],
    make: Callable[[], Any],
    everyone: Mapping[str, User],
    row: Row,
    holders: Mapping[str, tuple[str, ...]] = NO_RELATIONS,
) -> None:
    (state, action), move = row
    obj = put_in(make(), state)
    before = snapshot(obj)
    for name in sorted(set(everyone) - allowed_names(move, holders)):
        with pytest.raises(ActionRefused, match="没有权限"):
            machine.transition(obj, action, everyone[name], note="测试理由")
        assert snapshot(obj) == before, name


def assert_refused_from_wrong_states(
    machine: Machine[Any], make: Callable[[], Any], everyone: Mapping[str, User], action: str
) -> None:
    expected = machine.refusals.get(action) or "不能执行此操作"
    for state in wrong_states(machine, action):
        obj = put_in(make(), state)
        before = snapshot(obj)
        for name, user in everyone.items():
            with pytest.raises(ActionRefused, match=re.escape(expected)):
                machine.transition(obj, action, user, note="测试理由")
            assert snapshot(obj) == before, (state, name)


def assert_refused_when_stale(
    machine: Machine[Any], make: Callable[[], Any], row: Row, user: User
) -> None:
    """Someone else moved the object since this copy was read: refused, nothing changed."""
    (state, action), move = row
    obj = put_in(make(), state)
    stale = type(obj)._default_manager.get(pk=obj.pk)
    other = next(s for s in machine.states if s != state)
    put_in(obj, other)
    before = snapshot(obj)
    with pytest.raises(ActionRefused, match=f"该{machine.noun}已被他人处理"):
        machine.transition(stale, action, user, note="测试理由")
    assert snapshot(obj) == before


Make = Callable[[Cast], Any]


def matrix_tests(
    machine: Machine[Any],
    make: Make,
    *,
    holders: Mapping[str, tuple[str, ...]] = NO_RELATIONS,
    stale_by: str = "",
) -> tuple[Callable[..., None], ...]:
    """The generated tests of one table, for a test module to bind to ``test_*`` names.

    ``make(cast)`` returns an object fit for every move once put in the row's state;
    ``stale_by`` names the cast member who tries a move on a stale copy (left out: no
    stale-copy test, for a module that writes its own).
    """
    table = rows(machine)

    @pytest.mark.parametrize("row", table, ids=row_ids(table))
    def allowed(cast: Cast, row: Row) -> None:
        assert_allowed(machine, lambda: make(cast), people(cast), row, holders)

    @pytest.mark.parametrize("row", table, ids=row_ids(table))
    def refused_to_others(cast: Cast, row: Row) -> None:
        assert_refused_to_others(machine, lambda: make(cast), people(cast), row, holders)

    @pytest.mark.parametrize("action", sorted(machine.actions))
    def refused_from_wrong_states(cast: Cast, action: str) -> None:
        assert_refused_from_wrong_states(machine, lambda: make(cast), people(cast), action)

    @pytest.mark.parametrize("row", table, ids=row_ids(table))
    def refused_when_stale(cast: Cast, row: Row) -> None:
        assert_refused_when_stale(machine, lambda: make(cast), row, people(cast)[stale_by])

    tests = (allowed, refused_to_others, refused_from_wrong_states)
    return (*tests, refused_when_stale) if stale_by else tests
