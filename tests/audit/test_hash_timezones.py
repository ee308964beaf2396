from __future__ import annotations

import datetime as dt
import zoneinfo

from minyi.audit.models import Event, record, verify_chain
from minyi.core import clock


def test_it_keeps_the_chain_valid_for_times_written_in_a_local_zone(cast):
    shanghai = zoneinfo.ZoneInfo("Asia/Shanghai")
    with clock.frozen_at(dt.datetime(2026, 3, 2, 9, 30, tzinfo=shanghai)):
        event = record("claim", cast.unit, actor=cast.editor)
    # The database hands the time back in UTC; the hash must not care.
    assert Event.objects.get(pk=event.pk).compute_hash() == event.hash
    assert verify_chain() is None
