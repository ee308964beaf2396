"""The append-only, hash-chained event log, and the cursors of its consumers.

Every action that matters writes one ``Event`` through ``record()`` or
``record_many()``, the only two ways in. Timelines, feedback to authors, points
and the search index are projections of this table, made by the consumers in
``audit.consumers``, so they can be recomputed and explained. Each row's hash
covers its content and the previous row's hash, so editing or deleting a row
breaks the chain at that row (``manage.py verify_events``).

Appending locks the single ``ChainHead`` row until the transaction ends, so
events commit in id order: a consumer that has read every event up to id N will
never later see a smaller id appear. The consumers' cursors rely on that.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import migrations, models, transaction

from minyi.audit.verbs import Verb
from minyi.core import clock
from minyi.core.http import current_facts
from minyi.core.rows import insert_objects

GENESIS_HASH = "0" * 64


class EventQuerySet(models.QuerySet["Event"]):
    def for_report(self, report_id: int) -> EventQuerySet:
        return self.filter(report_id=report_id)


class Event(models.Model):
    created_at = models.DateTimeField("时间", default=clock.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # No ``choices``: ``record()`` checks the verb against ``Verb``, and a new verb
    # should not need a migration.
    verb = models.CharField("动作", max_length=50)
    object_type = models.CharField("对象类型", max_length=60)
    object_id = models.CharField("对象编号", max_length=40)
    # Denormalised so a report's timeline is one indexed query, whichever
    # object (forwarding, issue, adoption) the event is about.
    report_id = models.BigIntegerField("相关稿件", null=True, blank=True, db_index=True)
    payload = models.JSONField("内容", default=dict, encoder=DjangoJSONEncoder)
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    user_agent = models.CharField("客户端", max_length=300, blank=True, default="")
    prev_hash = models.CharField("前一哈希", max_length=64)
    hash = models.CharField("哈希", max_length=64, unique=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = "事件"
        verbose_name_plural = "事件日志"
        ordering = ["id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            # Lookups by verb, and the consumers' "any of my verbs after my cursor?",
            # which on PostgreSQL needs the id in the index to be a probe, not a scan.
            models.Index(fields=["verb", "id"], name="audit_event_verb_id"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.verb} {self.object_type}:{self.object_id}"

    def compute_hash(self) -> str:
        body = {
            # UTC, so the hash does not depend on the zone a datetime was
            # written in versus the zone the database reads it back in.
            "created_at": self.created_at.astimezone(dt.UTC).isoformat(),
            "actor": self.actor_id,
            "verb": self.verb,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "report_id": self.report_id,
            "payload": self.payload,
            "ip": self.ip,
            "prev_hash": self.prev_hash,
        }
        # Added after events were on record: hashed only when present, so the
        # hashes of older events (which have none) still verify.
        if self.user_agent:
            body["user_agent"] = self.user_agent
        data = json.dumps(body, sort_keys=True, ensure_ascii=False, cls=DjangoJSONEncoder)
        return hashlib.sha256(data.encode("utf-8")).hexdigest()


class ChainHead(models.Model):
    """A single row locked while appending, so concurrent writers cannot fork the chain."""

    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = "哈希链头"
        verbose_name_plural = "哈希链头"

    def __str__(self) -> str:
        return self.last_hash


class ConsumerCursor(models.Model):
    """How far one consumer of the event log has got, and why it is stuck if it is.

    The cursor moves in the same transaction as the consumer's own writes, so a
    crash loses nothing and repeats nothing: the next drain starts where the last
    committed one stopped.
    """

    name = models.CharField("消费者", max_length=60, unique=True)
    last_event_id = models.BigIntegerField("已处理到事件", default=0)
    failures = models.PositiveIntegerField("连续失败次数", default=0)
    failed_event_id = models.BigIntegerField("失败批次起点", null=True, blank=True)
    last_error = models.TextField("最近错误", blank=True)
    retry_after = models.DateTimeField("下次重试", null=True, blank=True)
    updated_at = models.DateTimeField("更新时间", default=clock.now)

    class Meta:
        verbose_name = "事件消费进度"
        verbose_name_plural = "事件消费进度"
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} @ {self.last_event_id}"


def start_cursor(name: str) -> migrations.RunPython:
    """The migration operation that starts consumer ``name`` after the events on record.

    A consumer added to an installation with history (say a federation outbox)
    must not replay years of events as if they were new; on a fresh database the
    log is empty and it starts from the beginning.
    """

    def start(apps: Any, schema_editor: Any) -> None:
        event_model = apps.get_model("audit", "Event")
        cursor_model = apps.get_model("audit", "ConsumerCursor")
        last = event_model.objects.aggregate(last=models.Max("id"))["last"] or 0
        cursor_model.objects.get_or_create(name=name, defaults={"last_event_id": last})

    return migrations.RunPython(start, migrations.RunPython.noop)


def _clean(payload: dict[str, Any] | None) -> dict[str, Any]:
    # Round-trip the payload through JSON so the hash we store is the hash of what
    # the database will give back (dates become strings, etc.).
    return json.loads(json.dumps(payload or {}, cls=DjangoJSONEncoder, ensure_ascii=False))


def _nudge_after_commit(verbs: Iterable[str]) -> None:
    # Same app; imported here because the registry imports this module.
    from minyi.audit.consumers import nudge_after_commit

    nudge_after_commit(verbs)


def record(
    verb: str,
    obj: models.Model,
    *,
    actor: Any = None,
    payload: dict[str, Any] | None = None,
    report_id: int | None = None,
    ip: str | None = None,
) -> Event:
    """Append one event; call inside the transaction that made the change.

    Inside a request the event carries the client's address and user agent
    (``core.http.RequestFactsMiddleware``); ``ip`` overrides the address.

    After that transaction commits, the consumers are nudged in this process, so
    the user who acted sees the notification, points and search hit at once.
    """
    verb = Verb(verb)  # An unknown verb is a programming error: fail loudly.
    facts = current_facts()
    with transaction.atomic():
        head, _ = ChainHead.objects.select_for_update().get_or_create(pk=1)
        event = Event(
            actor=actor if getattr(actor, "pk", None) else None,
            verb=verb.value,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            report_id=report_id,
            payload=_clean(payload),
            ip=ip or facts.ip,
            user_agent=facts.user_agent,
            prev_hash=head.last_hash,
        )
        event.hash = event.compute_hash()
        event.save()
        head.last_hash = event.hash
        head.save(update_fields=["last_hash"])
        _nudge_after_commit([event.verb])
    return event


@dataclass(frozen=True)
class Entry:
    """One event for ``record_many``: what happened to which object."""

    verb: str
    obj: models.Model
    payload: dict[str, Any] = field(default_factory=dict)
    report_id: int | None = None
    #: For a history written after the fact (the demo's ten years): when it
    #: happened and who did it, instead of the batch's ``created_at`` and ``actor``.
    created_at: dt.datetime | None = None
    actor_id: int | None = None


def record_many(
    entries: Iterable[Entry],
    *,
    actor: Any = None,
    ip: str | None = None,
    created_at: dt.datetime | None = None,
) -> int:
    """Append many events in one chained run, for bulk writers (imports); return the count.

    The same rows ``record()`` would write one by one, inserted in one pass
    (COPY on PostgreSQL), and the same nudge after commit.
    """
    created_at = created_at or clock.now()
    actor_id = getattr(actor, "pk", None)
    facts = current_facts()
    with transaction.atomic():
        head, _ = ChainHead.objects.select_for_update().get_or_create(pk=1)
        events, prev = [], head.last_hash
        for entry in entries:
            event = Event(
                created_at=entry.created_at or created_at,
                actor_id=entry.actor_id or actor_id,
                verb=Verb(entry.verb).value,
                object_type=entry.obj._meta.label_lower,
                object_id=str(entry.obj.pk),
                report_id=entry.report_id,
                payload=_clean(entry.payload),
                ip=ip or facts.ip,
                user_agent=facts.user_agent,
                prev_hash=prev,
            )
            event.hash = prev = event.compute_hash()
            events.append(event)
        if not events:
            return 0
        insert_objects(Event, events)
        head.last_hash = prev
        head.save(update_fields=["last_hash"])
        _nudge_after_commit({event.verb for event in events})
    return len(events)


@dataclass(frozen=True)
class ChainBreak:
    event_id: int
    reason: str


def verify_chain(batch_size: int = 2000) -> ChainBreak | None:
    """Recompute every hash in order; return the first broken row, or None."""
    prev = GENESIS_HASH
    for event in Event.objects.order_by("id").iterator(chunk_size=batch_size):
        if event.prev_hash != prev:
            return ChainBreak(event.pk, "前一哈希与上一条事件不符（有事件被删除或插入）")
        if event.compute_hash() != event.hash:
            return ChainBreak(event.pk, "内容与哈希不符（事件被修改）")
        prev = event.hash
    head = ChainHead.objects.filter(pk=1).first()
    if head and head.last_hash != prev:
        return ChainBreak(0, "链头与最后一条事件不符（末尾事件被删除）")
    return None
