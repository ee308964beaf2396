"""Check an Office Open XML file (.docx, .xlsx) as the zip container it is, before
it is stored or parsed: a zip bomb or an archive hidden inside must not get further.

Python's ``zipfile`` (and so openpyxl and python-docx) never inflates a member past
the size its header declares, so the declared sizes bound what a later parse can
unpack; they are checked here without inflating anything. Only the first bytes of
each member are read, to find archives inside.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import PurePosixPath
from typing import IO

from django.conf import settings

#: Member names that are archives themselves, whatever their content says.
ARCHIVE_SUFFIXES = frozenset(
    {".zip", ".docx", ".xlsx", ".xlsm", ".pptx", ".jar", ".7z", ".rar", ".gz", ".tgz",
     ".bz2", ".xz", ".tar", ".cab", ".odt", ".ods"}
)  # fmt: skip
#: How archives start: zip, 7-Zip, RAR, gzip, bzip2, xz, CAB.
ARCHIVE_MAGIC = (b"PK\x03\x04", b"7z\xbc\xaf", b"Rar!", b"\x1f\x8b", b"BZh", b"\xfd7zXZ", b"MSCF")
#: Below this size a member's ratio is not judged: tiny XML parts compress very well.
RATIO_FLOOR_BYTES = 1024 * 1024


class UnsafeArchive(ValueError):
    """The file is not a zip container we agree to open; the message is Chinese."""


class DamagedArchive(UnsafeArchive):
    """Not a readable zip at all (a parser that follows would fail on it too)."""


def _limits() -> tuple[int, int, int]:
    return (
        settings.OFFICE_MAX_UNPACKED_MB * 1024 * 1024,
        settings.OFFICE_MAX_RATIO,
        settings.OFFICE_MAX_MEMBERS,
    )


def _nested(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    if PurePosixPath(info.filename).suffix.lower() in ARCHIVE_SUFFIXES:
        return True
    if info.is_dir() or info.file_size == 0:
        return False
    with archive.open(info) as member:
        return member.read(8).startswith(ARCHIVE_MAGIC)


def _problem(archive: zipfile.ZipFile, packed: int) -> str | None:
    """What is wrong with the container, in Chinese, or None."""
    max_bytes, max_ratio, max_members = _limits()
    members = archive.infolist()
    if len(members) > max_members:
        return f"内含 {len(members)} 个部件，超过 {max_members} 个的上限"
    total = sum(info.file_size for info in members)
    if total > max_bytes:
        mb = 1024 * 1024
        return f"解压后共 {total // mb} MB，超过 {max_bytes // mb} MB 的上限，可能是压缩炸弹"
    if total > max_ratio * packed or any(
        info.file_size > RATIO_FLOOR_BYTES
        and info.file_size > max_ratio * max(info.compress_size, 1)
        for info in members
    ):
        return f"压缩比异常（超过 {max_ratio}:1），可能是压缩炸弹"
    if any(_nested(archive, info) for info in members):
        return "里面嵌有其他压缩包或 Office 文件（图表请改为图片后再嵌入）"
    return None


def check_office_zip(file: IO[bytes], *, name: str = "") -> None:
    """Raise ``UnsafeArchive`` unless ``file`` is a zip within the configured bounds.

    1. It opens as a zip and has at most OFFICE_MAX_MEMBERS members.
    2. The declared sizes sum to at most OFFICE_MAX_UNPACKED_MB.
    3. Neither the whole file nor any member over 1 MB unpacks to more than
       OFFICE_MAX_RATIO times its packed size.
    4. No member is itself an archive (by name or by its first bytes).
    The file is left at position 0.
    """
    label = f"文件“{name}”" if name else "文件"
    file.seek(0, 2)
    packed = max(file.tell(), 1)
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            problem = _problem(archive, packed)
        if problem:
            raise UnsafeArchive(f"{label}{problem}，不予接收。请检查后重新上传。")
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        EOFError,
        OSError,
        NotImplementedError,
        RuntimeError,
    ) as exc:
        raise DamagedArchive(f"{label}已损坏或不是 Office 文件，请检查后重新上传。") from exc
    finally:
        file.seek(0)
