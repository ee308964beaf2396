"""A content hash of everything a restore must bring back, the same on any copy of the data.

Every row of reports, their authors, revisions, attachments (with the bytes of
each file), events, forwardings, adoptions and 批示, in id order. Run in the test's
process on the original and, through ``CHILD`` (``python -c``), in a child process
on the restored database.
"""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder

from minyi.audit.models import Event
from minyi.outcomes.models import Adoption, Forwarding, Instruction
from minyi.reports.models import Attachment, Report, ReportAuthor, Revision

CHILD = (
    "import django, json; django.setup(); "
    "from tests.audit.content import content_hash; print(json.dumps(content_hash()))"
)
MODELS = (Report, ReportAuthor, Revision, Attachment, Event, Forwarding, Adoption, Instruction)


def content_hash() -> dict[str, object]:
    """The hash and the row counts (the counts say what differs when the hash does)."""
    digest = hashlib.sha256()
    counts = {}
    for model in MODELS:
        rows = list(model.objects.order_by("pk").values())
        counts[model.__name__] = len(rows)
        digest.update(json.dumps(rows, cls=DjangoJSONEncoder, sort_keys=True).encode())
    for attachment in Attachment.objects.order_by("pk"):
        digest.update((settings.MEDIA_ROOT / attachment.file.name).read_bytes())
    return {"hash": digest.hexdigest(), "counts": counts}
