from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class ScoringConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "minyi.scoring"
    verbose_name = "履职积分与通报"

    def ready(self) -> None:
        # The ledger is a projection of the event log: keep it current after each
        # action commits. Wired here, in one visible place, so no other app has
        # to call into scoring (and a rolled-back action never reaches it).
        from django.db.models.signals import post_save

        from minyi.audit.models import Event

        post_save.connect(_event_saved, sender=Event, dispatch_uid="scoring-ledger")


def _event_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    from functools import partial

    from django.db import transaction

    from minyi.scoring.ledger import TRIGGER_VERBS, refresh_for_events

    if created and instance.verb in TRIGGER_VERBS:
        # robust: a failure in the projection is logged, never undoes the action.
        transaction.on_commit(partial(refresh_for_events, [instance.pk]), robust=True)
