"""The append-only, hash-chained event log.

Every action that matters writes one ``Event``. Timelines, feedback to authors
and (later) scores are projections of this table, so they can be recomputed
and explained. Each row's hash covers its content and the previous row's hash,
so editing or deleting a row breaks the chain at that row
(``manage.py verify_events``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

from minyi.core import clock

GENESIS_HASH = "0" * 64


class EventQuerySet(models.QuerySet["Event"]):
    def for_object(self, obj: models.Model) -> EventQuerySet:
        return self.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))

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
    verb = models.CharField("动作", max_length=50, db_index=True)
    object_type = models.CharField("对象类型", max_length=60)
    object_id = models.CharField("对象编号", max_length=40)
    # Denormalised so a report's timeline is one indexed query, whichever
    # object (forwarding, issue, adoption) the event is about.
    report_id = models.BigIntegerField("相关稿件", null=True, blank=True, db_index=True)
    payload = models.JSONField("内容", default=dict, encoder=DjangoJSONEncoder)
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    prev_hash = models.CharField("前一哈希", max_length=64)
    hash = models.CharField("哈希", max_length=64, unique=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = "事件"
        verbose_name_plural = "事件日志"
        ordering = ["id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

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


def record(
    verb: str,
    obj: models.Model,
    *,
    actor: Any = None,
    payload: dict[str, Any] | None = None,
    report_id: int | None = None,
    ip: str | None = None,
) -> Event:
    """Append one event; call inside the transaction that made the change."""
    with transaction.atomic():
        head, _ = ChainHead.objects.select_for_update().get_or_create(pk=1)
        # Round-trip the payload through JSON so the hash we store is the hash
        # of what the database will give back (dates become strings, etc.).
        clean = json.loads(json.dumps(payload or {}, cls=DjangoJSONEncoder, ensure_ascii=False))
        event = Event(
            actor=actor if getattr(actor, "pk", None) else None,
            verb=verb,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            report_id=report_id,
            payload=clean,
            ip=ip,
            prev_hash=head.last_hash,
        )
        event.hash = event.compute_hash()
        event.save()
        head.last_hash = event.hash
        head.save(update_fields=["last_hash"])
    return event


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
