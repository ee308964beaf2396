"""Consumers of the event log: every side effect of an action, in one registry.

The event log is the outbox. An action only appends events (``audit.record``);
whatever follows from them — telling the authors, points in the ledger, the
search index — is a *consumer*: a name, the verbs it wants, a handler, and a
cursor row (``ConsumerCursor``) saying how far it has got. Apps register their
consumers in their ``AppConfig.ready()``; the log never imports them.

Delivery:
- **Nudge.** After the transaction that appended events commits, this process
  drains every consumer at once, so the user who acted sees the effect.
- **Worker.** ``run_worker`` drains every consumer on each tick, so whatever a
  nudge missed (the process died after commit, a handler failed) follows within
  seconds.
- **Exactly once in effect.** A batch's handler runs in the same transaction that
  moves the cursor, and the cursor row is locked first, so two drainers never
  handle the same batch. Handlers are idempotent by event id all the same
  (at-least-once is the contract), so a replay changes nothing.
- **Isolation.** A handler that raises rolls back only its own batch; its cursor
  records the error and waits (``RETRY_DELAYS``) before the next try, and the
  other consumers go on. The background page lists every cursor with its lag and
  last error.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial

from django.db import transaction
from django.db.models import Max

from minyi.audit.models import ConsumerCursor, Event
from minyi.core import clock

log = logging.getLogger(__name__)

Handler = Callable[[list[Event]], None]

#: Wait this long before trying a failed batch again; the last delay repeats.
RETRY_DELAYS = (
    dt.timedelta(seconds=30),
    dt.timedelta(minutes=2),
    dt.timedelta(minutes=10),
    dt.timedelta(hours=1),
)


@dataclass(frozen=True)
class Consumer:
    name: str
    label: str
    #: The verbs the handler is given; the cursor moves past all others.
    verbs: frozenset[str]
    handle: Handler
    batch_size: int = 500


_REGISTRY: dict[str, Consumer] = {}


def register(
    name: str, *, label: str, verbs: Iterable[str], batch_size: int = 500
) -> Callable[[Handler], Handler]:
    """Decorator: make ``handle(events)`` the consumer ``name`` of ``verbs``."""

    def wrap(handle: Handler) -> Handler:
        _REGISTRY[name] = Consumer(name, label, frozenset(verbs), handle, batch_size)
        return handle

    return wrap


def consumers() -> list[Consumer]:
    return list(_REGISTRY.values())


def get(name: str) -> Consumer:
    return _REGISTRY[name]


@dataclass(frozen=True)
class Progress:
    name: str
    handled: int = 0
    failed: bool = False
    waiting: bool = False


def _lock_cursor(name: str, now: dt.datetime) -> ConsumerCursor:
    # An UPDATE first: it takes the row lock on PostgreSQL and the write lock on
    # SQLite (where SELECT … FOR UPDATE is a no-op), so a second drainer waits here
    # and then reads the cursor this one moved.
    if not ConsumerCursor.objects.filter(name=name).update(updated_at=now):
        ConsumerCursor.objects.get_or_create(name=name, defaults={"updated_at": now})
    return ConsumerCursor.objects.select_for_update().get(name=name)


def _fail(cursor: ConsumerCursor, first_id: int, now: dt.datetime) -> None:
    cursor.failures += 1
    cursor.failed_event_id = first_id
    cursor.last_error = traceback.format_exc()[-4000:]
    delay = RETRY_DELAYS[min(cursor.failures, len(RETRY_DELAYS)) - 1]
    cursor.retry_after = now + delay
    cursor.save()


def _succeed(cursor: ConsumerCursor, upto: int) -> None:
    cursor.last_event_id = upto
    cursor.failures = 0
    cursor.failed_event_id = None
    cursor.last_error = ""
    cursor.retry_after = None
    cursor.save()


#: A cursor with no wanted event ahead is still moved once this many events pile up
#: behind it, so the range a check scans stays short.
STRIDE = 2000


def _head() -> int:
    return Event.objects.order_by("-id").values_list("id", flat=True).first() or 0


def has_work(
    consumer: Consumer, cursor: ConsumerCursor | None, head: int, *, force: bool = False
) -> bool | None:
    """Whether a drain would do anything (None: it is waiting to retry a failed batch).

    Read without locking, and with at most one query, so the nudges after idle
    actions stay cheap.
    """
    if cursor is None:
        return head > 0
    if cursor.retry_after and cursor.retry_after > clock.now() and not force:
        return None
    after = cursor.last_event_id
    if after >= head:
        return False
    # Two probes a planner cannot get wrong: the primary key, then the (verb, id) index.
    if head > after + STRIDE:
        return True
    return Event.objects.filter(verb__in=consumer.verbs, id__gt=after).exists()


def drain_batch(consumer: Consumer, *, force: bool = False) -> Progress:
    """Hand the next batch of events to ``consumer`` and move its cursor, in one transaction."""
    now = clock.now()
    with transaction.atomic():
        cursor = _lock_cursor(consumer.name, now)
        if cursor.retry_after and cursor.retry_after > now and not force:
            return Progress(consumer.name, waiting=True)
        head = Event.objects.aggregate(head=Max("id"))["head"] or 0
        if head <= cursor.last_event_id:
            return Progress(consumer.name)
        events = list(
            Event.objects.filter(
                id__gt=cursor.last_event_id, id__lte=head, verb__in=consumer.verbs
            ).order_by("id")[: consumer.batch_size]
        )
        # A full batch may have more behind it; otherwise everything up to head is seen.
        upto = events[-1].pk if len(events) == consumer.batch_size else head
        if events:
            try:
                with transaction.atomic():
                    consumer.handle(events)
            except Exception:
                log.exception("Event consumer %s failed at event %s", consumer.name, events[0].pk)
                _fail(cursor, events[0].pk, now)
                return Progress(consumer.name, failed=True)
        _succeed(cursor, upto)
        return Progress(consumer.name, handled=len(events))


def drain(
    consumer: Consumer,
    *,
    force: bool = False,
    max_batches: int = 1000,
    cursor: ConsumerCursor | None = None,
    head: int | None = None,
) -> Progress:
    """Drain ``consumer`` until it is caught up, fails, or has run ``max_batches`` batches."""
    if head is None:
        cursor = ConsumerCursor.objects.filter(name=consumer.name).first()
        head = _head()
    work = has_work(consumer, cursor, head, force=force)
    if not work:
        return Progress(consumer.name, waiting=work is None)
    handled = 0
    for _ in range(max_batches):
        step = drain_batch(consumer, force=force)
        handled += step.handled
        if step.failed or step.waiting or step.handled < consumer.batch_size:
            return Progress(consumer.name, handled, step.failed, step.waiting)
    return Progress(consumer.name, handled)


def drain_all(*, force: bool = False, verbs: set[str] | None = None) -> list[Progress]:
    """Drain every consumer (of any of ``verbs``), each on its own: one failing never
    holds back the others."""
    wanted = [c for c in consumers() if verbs is None or c.verbs & verbs]
    if not wanted:
        return []
    cursors = {cursor.name: cursor for cursor in ConsumerCursor.objects.all()}
    head = _head()
    return [
        drain(consumer, force=force, cursor=cursors.get(consumer.name), head=head)
        for consumer in wanted
    ]


_sequence = itertools.count(1)


def _nudge(registered: int) -> None:
    connection = transaction.get_connection()
    # Every action in a transaction queues a nudge; the first to run drains what all
    # of them appended, and the rest, registered before that drain began, skip.
    if getattr(connection, "minyi_drained_from", 0) > registered:
        return
    if getattr(connection, "minyi_nudges_held", False):
        return  # A bulk job drains once when it is done (``held``); its verbs wait here.
    connection.minyi_drained_from = next(_sequence)
    verbs, connection.minyi_appended_verbs = (
        getattr(connection, "minyi_appended_verbs", set()),
        set(),
    )
    try:
        drain_all(verbs=verbs)
    except Exception:
        # The action has committed; the worker will deliver what this could not.
        log.exception("Nudging the event consumers failed; the worker will catch up")


def nudge_after_commit(verbs: Iterable[str]) -> None:
    """Drain the consumers of ``verbs`` once the current transaction commits.

    Only the consumers that want a verb the transaction appended are drained: after a
    claim nobody is, after an acceptance only author feedback. The verbs of a
    rolled-back savepoint may stay in the set; they cost a check, never a wrong effect.
    """
    connection = transaction.get_connection()
    appended = getattr(connection, "minyi_appended_verbs", None)
    if appended is None:
        appended = connection.minyi_appended_verbs = set()
    appended.update(verbs)
    transaction.on_commit(partial(_nudge, next(_sequence)))


@contextmanager
def held() -> Iterator[None]:
    """Hold this process's nudges during a bulk job, then drain once when it ends.

    An import commits chunk after chunk so its progress shows; a nudge after each
    would re-project the same members' points again and again. Whatever the job
    appended is drained after the block (after its commit, inside a transaction).
    """
    connection = transaction.get_connection()
    connection.minyi_nudges_held = True
    try:
        yield
    finally:
        connection.minyi_nudges_held = False
        transaction.on_commit(partial(_nudge, next(_sequence)))


@dataclass(frozen=True)
class Status:
    """One consumer as the background page shows it."""

    consumer: Consumer
    cursor: ConsumerCursor | None
    behind: int


def statuses() -> list[Status]:
    cursors = {c.name: c for c in ConsumerCursor.objects.all()}
    found = []
    for consumer in consumers():
        cursor = cursors.get(consumer.name)
        after = cursor.last_event_id if cursor else 0
        behind = Event.objects.filter(id__gt=after, verb__in=consumer.verbs).count()
        found.append(Status(consumer, cursor, behind))
    return found
