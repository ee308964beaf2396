"""收文登记: scans of 批示件 and adoption notices, attached to their outcome, listed in a register.

A scan is a PDF, JPG or PNG, checked by its first bytes (``reports.attachments.MAGIC``: a
renamed file does not pass) and by size. Only the research office attaches, lists and
downloads scans (``OFFICE_ROLES``); every download is a ``download`` event.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404

from minyi.audit.models import record
from minyi.audit.statemachine import ActionRefused, require_role
from minyi.core import clock, mime
from minyi.outcomes.models import Adoption, IncomingScan, Instruction
from minyi.people.models import OFFICE_ROLES, Role
from minyi.reports.attachments import MAGIC, clean_name

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from minyi.people.models import User

SCAN_EXTENSIONS = ("pdf", "jpg", "jpeg", "png")
SCAN_MAX_BYTES = 10 * 1024 * 1024


def is_office(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_role(*OFFICE_ROLES))


def visible_scans(user: User) -> QuerySet[IncomingScan]:
    """The register's rows: every scan for the office, none for anyone else."""
    if not is_office(user):
        return IncomingScan.objects.none()
    return IncomingScan.objects.select_related(
        "adoption__forwarding__report",
        "adoption__forwarding__recipient",
        "instruction__forwarding__report",
        "instruction__forwarding__recipient",
        "uploaded_by",
    )


def get_scan_for(user: User, pk: int) -> IncomingScan:
    scan = visible_scans(user).filter(pk=pk).first()
    if scan is None:
        raise Http404("没有找到该收文，或您无权查看。")
    return scan


def filtered(scans: QuerySet[IncomingScan], *, year: int | None, recipient: int | None) -> QuerySet:
    """The register's filters: the year received, the recipient that sent it back."""
    if year:
        scans = scans.filter(received_on__year=year)
    if recipient:
        scans = scans.filter(
            Q(adoption__forwarding__recipient_id=recipient)
            | Q(instruction__forwarding__recipient_id=recipient)
        )
    return scans


def check_scan(user: User, upload: UploadedFile | None, received_on: dt.date | None) -> str:
    """The scan's extension, or ``ActionRefused`` in Chinese."""
    require_role(user, Role.EDITOR, "登记收文")
    if upload is None:
        raise ActionRefused("请选择扫描件（PDF、JPG 或 PNG）。")
    ext = (upload.name or "").rsplit(".", 1)[-1].lower() if "." in (upload.name or "") else ""
    if ext not in SCAN_EXTENSIONS:
        raise ActionRefused("扫描件只能是 PDF、JPG 或 PNG 文件。")
    if not upload.size:
        raise ActionRefused("文件是空的，请检查后重新上传。")
    if upload.size > SCAN_MAX_BYTES:
        raise ActionRefused(
            f"扫描件太大（上限 {SCAN_MAX_BYTES // (1024 * 1024)} MB），请压缩后再上传。"
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in MAGIC[ext]):
        raise ActionRefused(f"文件内容与扩展名 .{ext} 不符，可能已损坏或被改名，请检查后重新上传。")
    if received_on is None:
        raise ActionRefused("请填写收文日期。")
    if received_on > clock.localdate():
        raise ActionRefused("收文日期不能晚于今天。")
    return ext


def do_attach_scan(
    user: User,
    outcome: Adoption | Instruction,
    upload: UploadedFile | None,
    *,
    received_on: dt.date | None,
    doc_number: str = "",
) -> IncomingScan:
    """Store the scan with its outcome and log it; a refused file leaves nothing stored."""
    ext = check_scan(user, upload, received_on)
    doc_number = doc_number.strip()
    limit = IncomingScan._meta.get_field("doc_number").max_length or 0
    if len(doc_number) > limit:  # Refused, never cut: a cut 文号 points at another document.
        raise ActionRefused(f"来文文号最多{limit}字，现有{len(doc_number)}字，请删减。")
    assert upload is not None and received_on is not None
    which = "adoption" if isinstance(outcome, Adoption) else "instruction"
    scan = IncomingScan(
        **{which: outcome},
        original_name=clean_name(upload.name or ""),
        size=upload.size or 0,
        content_type=mime.BY_EXTENSION[ext],
        doc_number=doc_number,
        received_on=received_on,
        uploaded_by=user,
    )
    try:
        with transaction.atomic():
            scan.file.save(upload.name or f"scan.{ext}", upload, save=False)
            scan.save()
            record(
                "attach",
                scan,
                actor=user,
                report_id=outcome.forwarding.report_id,
                payload={"name": scan.original_name, "size": scan.size, "scan": which},
            )
    except Exception:
        if scan.file.name:
            scan.file.storage.delete(scan.file.name)  # The row is gone: so is the file.
        raise
    return scan
