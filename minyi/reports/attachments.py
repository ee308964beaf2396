"""Attachments to reports: check an upload, store it, remove it.

Files live under ``settings.MEDIA_ROOT`` with random names and are never
served by URL; the download view streams them after the report's access check.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.http import Http404

from minyi.audit.models import record
from minyi.audit.statemachine import ActionRefused
from minyi.core import mime
from minyi.core.zipcheck import UnsafeArchive, check_office_zip
from minyi.people.models import Role
from minyi.reports.access import can_edit_text, visible_reports
from minyi.reports.models import OFFICE_EDITABLE_STATES, Attachment, Report
from minyi.reports.workflow import check_owner

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from minyi.people.models import User

#: What each allowed extension must start with. The client's content type is
#: not trusted: a renamed .exe must not pass as a .pdf.
MAGIC: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    # Office Open XML files are ZIP archives.
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
}


#: Extensions that are zip containers, checked for bombs and nested archives before storing.
OFFICE_ZIPS = ("docx", "xlsx")


def _extension(name: str) -> str:
    return Path(name).suffix.lower().lstrip(".")


def _read_head(upload: UploadedFile, size: int = 8) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def check_attachment(upload: UploadedFile | None) -> None:
    """Raise ActionRefused (in Chinese) unless the upload is an allowed, genuine file."""
    if upload is None:
        raise ActionRefused("请选择要上传的文件。")
    allowed = settings.ATTACHMENT_EXTENSIONS
    ext = _extension(upload.name or "")
    if ext not in allowed:
        kinds = "、".join(allowed)
        raise ActionRefused(f"不支持该文件类型。只能上传以下格式：{kinds}。")
    if not upload.size:
        raise ActionRefused("文件是空的，请检查后重新上传。")
    limit = settings.ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ActionRefused(f"文件太大（上限 {limit // (1024 * 1024)} MB），请压缩后再上传。")
    head = _read_head(upload)
    if not any(head.startswith(magic) for magic in MAGIC.get(ext, ())):
        raise ActionRefused(f"文件内容与扩展名 .{ext} 不符，可能已损坏或被改名，请检查后重新上传。")
    if ext in OFFICE_ZIPS:
        try:
            check_office_zip(upload, name=clean_name(upload.name or ""))
        except UnsafeArchive as exc:
            raise ActionRefused(str(exc)) from None


def clean_name(name: str) -> str:
    """Keep only the base name, cut to fit the column but keep the extension."""
    base = Path(name.replace("\\", "/")).name.strip() or "附件"
    if len(base) <= 200:
        return base
    suffix = Path(base).suffix[:20]
    return base[: 200 - len(suffix)] + suffix


def may_change_attachments(user: User, report: Report) -> bool:
    """Authors while they may edit; editors while the office handles the report."""
    return can_edit_text(user, report)


def _check_owner(user: User, report: Report) -> None:
    """The office's file changes follow the claim rule like its other actions."""
    if report.state in OFFICE_EDITABLE_STATES and user.has_role(Role.EDITOR):
        check_owner(report, user)


def get_attachment_for(user: User, pk: int, *, write: bool = False) -> Attachment:
    """Fetch an attachment whose report the user may see (404 otherwise)."""
    attachment = (
        Attachment.objects.select_related("report")
        .filter(pk=pk, report__in=visible_reports(user))
        .first()
    )
    if attachment is None:
        raise Http404("没有找到该附件，或您无权查看。")
    if write and not may_change_attachments(user, attachment.report):
        raise Http404("没有找到该附件，或您无权修改。")
    return attachment


def do_add_attachment(report: Report, user: User, upload: UploadedFile | None) -> Attachment:
    """Check and store one file, and log it; a refused file leaves nothing on disk."""
    if not may_change_attachments(user, report):
        raise ActionRefused("当前状态下您不能为这篇稿件添加附件。")
    _check_owner(user, report)
    check_attachment(upload)
    assert upload is not None  # check_attachment refuses None
    ext = _extension(upload.name or "")
    attachment = Attachment(
        report=report,
        original_name=clean_name(upload.name or ""),
        size=upload.size or 0,
        content_type=mime.BY_EXTENSION[ext],
        uploaded_by=user,
    )
    try:
        with transaction.atomic():
            attachment.file.save(upload.name or f"upload.{ext}", upload, save=False)
            attachment.save()
            record(
                "attach",
                attachment,
                actor=user,
                report_id=report.pk,
                payload={"name": attachment.original_name, "size": attachment.size},
            )
    except Exception:
        # The file is written before the row; do not leave an orphan behind.
        if attachment.file.name:
            attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


def do_remove_attachment(attachment: Attachment, user: User) -> None:
    """Delete the row, log it, and delete the file once the deletion is committed."""
    if not may_change_attachments(user, attachment.report):
        raise ActionRefused("当前状态下您不能删除这篇稿件的附件。")
    _check_owner(user, attachment.report)
    storage, name = attachment.file.storage, attachment.file.name
    with transaction.atomic():
        record(
            "remove_attachment",
            attachment,
            actor=user,
            report_id=attachment.report_id,
            payload={"name": attachment.original_name},
        )
        attachment.delete()
        transaction.on_commit(lambda: storage.delete(name))
