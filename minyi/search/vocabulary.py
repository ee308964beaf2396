"""Organisation names in the segmentation dictionary, so 民盟市委 or 市卫健委 stay whole.

The words are read from the database when a process first segments text and added
again whenever an organisation or recipient is saved. Reports indexed before a name
was added keep their old segmentation until the nightly index rebuild; the 2- and
3-character pieces indexed for long words (``terms.document_terms``) still match
them meanwhile.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db import DatabaseError

from minyi.textlab.segment import add_words, set_word_source

__all__ = ["connect", "organisation_words"]


def organisation_words() -> Iterator[str]:
    """Every unit's name and short name, and every recipient's name."""
    from minyi.outcomes.models import Recipient
    from minyi.people.models import Organization

    try:
        for name, short_name in Organization.objects.values_list("name", "short_name"):
            yield name
            if short_name:
                yield short_name
        yield from Recipient.objects.values_list("name", flat=True)
    except (DatabaseError, RuntimeError):
        # No tables yet (the first migrate), or a context where the database may not
        # be used (pytest-django raises RuntimeError): segment without these words.
        return


def _added(sender: Any, instance: Any, **kwargs: Any) -> None:
    add_words([w for w in (instance.name, getattr(instance, "short_name", "")) if w])


def connect() -> None:
    """Register the start-up source and the save hooks (from ``SearchConfig.ready``)."""
    from django.db.models.signals import post_save

    from minyi.outcomes.models import Recipient
    from minyi.people.models import Organization

    set_word_source(organisation_words)
    for model in (Organization, Recipient):
        post_save.connect(_added, sender=model, dispatch_uid=f"vocabulary-{model.__name__}")
