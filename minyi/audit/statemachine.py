"""One state machine for every record that has a state.

Each app that owns a stateful model (reports, bulletin issues, forwardings,
objections, annual notices) describes its workflow as data: a ``Machine`` with a
table ``{(state, action): Move}``. ``Machine.transition()`` is the only code
that changes a ``state`` field (``tests/test_state_assignments.py`` fails on any
other assignment). Every move it makes:

1. locks the row and re-reads it, so two people acting at once cannot both win;
2. re-checks the state the caller saw (“已被他人处理”);
3. checks the move exists from that state, the user's role, the reason, the guard;
4. saves the new state with the move's own fields;
5. writes the event through ``record()``, in the same transaction.

It lives in ``audit`` because every move is an event of the log, and audit sits
below every app with a state. It imports no app above it: roles are plain codes
checked with ``user.has_role()``, and relations that are not roles (a report's
authors) are hooks each machine supplies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.db import models, transaction

from minyi.audit.models import Event, record
from minyi.audit.verbs import Verb
from minyi.core import clock

M = TypeVar("M", bound=models.Model)

#: Is this user in this relation to this object (say, one of a report's authors)?
Relation = Callable[[Any, Any], bool]


class ActionRefused(Exception):
    """An action the user may not take now; the message is shown to them as it is."""


def require_role(user: Any, role: str, what: str) -> None:
    """Refuse ``what`` (a verb phrase: "新建刊物期次") to a user without ``role``.

    For actions that are not moves of a table (creating an issue, correcting
    points); a move checks its roles itself.
    """
    if not user.has_role(role):
        raise ActionRefused(f"您没有权限{what}。")


@dataclass(frozen=True)
class Move:
    target: str
    #: Role codes (``user.has_role``) or relation names of the machine.
    roles: frozenset[str]
    label: str
    note_required: bool = False
    #: Returns why the move is impossible for this object, or None.
    guard: Callable[[Any], str | None] | None = None
    #: Done only by other code (publishing happens through an issue's sign-off),
    #: never offered as a button.
    internal: bool = False
    #: The event's verb when it is not the action's own name.
    verb: str = ""


def move(target: str, roles: set[str], label: str, **kw: Any) -> Move:
    """Shorthand for a table row: ``move(State.X, {Role.EDITOR}, "受理")``."""
    return Move(target, frozenset(roles), label, **kw)


#: Fields a machine sets on every move besides the state: (object, action, move, note, now).
Stamp = Callable[[Any, str, Move, str, dt.datetime], dict[str, Any]]


def _nothing(obj: Any) -> dict[str, Any]:
    return {}


def _no_report(obj: Any) -> int | None:
    return None


@dataclass(frozen=True)
class Machine(Generic[M]):
    """The workflow of one model: its table and how its moves are recorded."""

    model: type[M]
    #: What users call one such record, for messages: 稿件、期次、报送记录…
    noun: str
    table: Mapping[tuple[str, str], Move]
    relations: Mapping[str, Relation] = field(default_factory=dict)
    #: What the note of a move that needs one is called: 理由、处理意见…
    note_name: str = "理由"
    #: Message when an action is refused from the current state, by action.
    refusals: Mapping[str, str] = field(default_factory=dict)
    #: Payload fields every event of this machine carries (a title, a recipient).
    describe: Callable[[M], dict[str, Any]] = _nothing
    #: The report an event is about, for report timelines.
    report_of: Callable[[M], int | None] = _no_report
    stamp: Stamp | None = None
    #: ``auto_now`` fields to save along with every move.
    touch: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        states = {value for value, _ in self.model._meta.get_field("state").choices}
        for (state, action), row in self.table.items():
            # A typo in a table should fail at import, not on the day someone clicks
            # (raised, not asserted, so it holds under ``python -O`` too).
            if state not in states or row.target not in states:
                raise ValueError(f"{self.model.__name__}: unknown state in row {state}/{action}")
            Verb(self.verb(action, row))
            if not all(isinstance(role, str) for role in row.roles):
                raise ValueError(f"{self.model.__name__}: roles must be codes in {state}/{action}")

    @property
    def actions(self) -> frozenset[str]:
        return frozenset(action for (_, action) in self.table)

    @property
    def states(self) -> list[str]:
        return [value for value, _ in self.model._meta.get_field("state").choices]

    @staticmethod
    def verb(action: str, row: Move) -> str:
        return row.verb or action

    def may_act(self, row: Move, obj: M, user: Any) -> bool:
        if user.has_role(*(row.roles - set(self.relations))):
            return True
        return any(
            name in row.roles and related(obj, user) for name, related in self.relations.items()
        )

    def check(self, obj: M, action: str, user: Any, note: str = "") -> Move:
        """Return the move, or raise ``ActionRefused`` saying in Chinese why not."""
        row = self.table.get((obj.state, action))  # type: ignore[attr-defined]
        if row is None:
            if action not in self.actions:
                raise ActionRefused("未知的操作。")
            current = obj.get_state_display()  # type: ignore[attr-defined]
            raise ActionRefused(
                self.refusals.get(action) or f"{self.noun}当前状态为“{current}”，不能执行此操作。"
            )
        if not self.may_act(row, obj, user):
            raise ActionRefused(f"您没有权限对此{self.noun}执行“{row.label}”。")
        if row.note_required and not note.strip():
            raise ActionRefused(f"“{row.label}”须填写{self.note_name}。")
        if row.guard and (problem := row.guard(obj)):
            raise ActionRefused(problem)
        return row

    def allows(self, obj: M, action: str, user: Any, note: str = "x") -> bool:
        """Would ``check`` pass (with some reason given)? For showing or hiding a button."""
        try:
            self.check(obj, action, user, note)
        except ActionRefused:
            return False
        return True

    def available(self, obj: M, user: Any) -> list[tuple[str, Move]]:
        """The buttons to show this user on this object."""
        return [
            (action, row)
            for (state, action), row in self.table.items()
            if state == obj.state  # type: ignore[attr-defined]
            and not row.internal
            and self.may_act(row, obj, user)
            and not (row.guard and row.guard(obj))
        ]

    def transition(
        self,
        obj: M,
        action: str,
        user: Any,
        *,
        note: str = "",
        payload: dict[str, Any] | None = None,
        ip: str | None = None,
        extra_fields: dict[str, Any] | None = None,
    ) -> Event:
        """Check the move under a row lock, save the new state and write the event.

        ``obj`` is updated in place too, so the caller's copy shows the new state.
        """
        with transaction.atomic():
            locked = self.model._default_manager.select_for_update().get(pk=obj.pk)
            if locked.state != obj.state:  # type: ignore[attr-defined]
                raise ActionRefused(f"该{self.noun}已被他人处理，状态已变化，请刷新页面后再试。")
            row = self.check(locked, action, user, note)
            before = locked.state  # type: ignore[attr-defined]
            changes = self._changes(locked, action, row, note.strip(), extra_fields)
            for name, value in changes.items():
                setattr(locked, name, value)
                setattr(obj, name, value)
            locked.save(update_fields=[*changes, *self.touch])
            return record(
                self.verb(action, row),
                locked,
                actor=user,
                report_id=self.report_of(locked),
                ip=ip,
                payload={
                    "from": before,
                    "to": row.target,
                    "note": note.strip(),
                    **self.describe(locked),
                    **(payload or {}),
                },
            )

    def _changes(
        self, obj: M, action: str, row: Move, note: str, extra: dict[str, Any] | None
    ) -> dict[str, Any]:
        # The state is the table's to set; extra fields are the action's own.
        if "state" in (extra or {}):
            raise ValueError("extra_fields cannot set the state: the move does")
        changes: dict[str, Any] = {"state": row.target}
        if self.stamp:
            changes.update(self.stamp(obj, action, row, note, clock.now()))
        changes.update(extra or {})
        return changes
