"""The one clock domain code reads, so history can be replayed at past times.

Domain code calls ``clock.now()`` instead of ``timezone.now()``. Normally the
two are the same; the demo loader and importers wrap their work in
``clock.frozen_at(when)`` so the events they write carry the time the story
says, with the hash chain intact. Tests use time-machine instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import timezone

_override: ContextVar[dt.datetime | None] = ContextVar("minyi_clock_override", default=None)


def now() -> dt.datetime:
    return _override.get() or timezone.now()


def localdate() -> dt.date:
    return timezone.localdate(now())


@contextmanager
def frozen_at(when: dt.datetime) -> Iterator[None]:
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    token = _override.set(when)
    try:
        yield
    finally:
        _override.reset(token)
