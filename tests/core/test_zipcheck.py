"""Office files are checked as zip containers: size, ratio, member count, nothing nested."""

from __future__ import annotations

import io
import time

import pytest

from minyi.core.zipcheck import UnsafeArchive, check_office_zip
from tests.core.zips import many_members, real_docx, real_xlsx, with_member, zeros_bomb


def test_it_accepts_real_word_and_excel_files_and_rewinds_them():
    for data in (real_docx(), real_xlsx()):
        file = io.BytesIO(data)
        file.read(10)
        check_office_zip(file)
        assert file.tell() == 0


def test_it_refuses_a_200_mb_bomb_quickly_without_unpacking_it():
    bomb = zeros_bomb(200)
    assert len(bomb) < 1024 * 1024  # 200 MB of zeros in well under 1 MB
    started = time.perf_counter()
    with pytest.raises(UnsafeArchive, match="解压后共 200 MB，超过 50 MB 的上限"):
        check_office_zip(io.BytesIO(bomb), name="炸弹.docx")
    assert time.perf_counter() - started < 1  # declared sizes only, nothing inflated


def test_it_refuses_a_small_bomb_by_its_compression_ratio():
    # 20 MB passes the size bound; 20 MB from ~20 KB is a ratio near 1000:1.
    with pytest.raises(UnsafeArchive, match="压缩比异常（超过 100:1）"):
        check_office_zip(io.BytesIO(zeros_bomb(20)))


def test_the_bounds_come_from_the_settings(settings):
    settings.OFFICE_MAX_UNPACKED_MB = 300
    settings.OFFICE_MAX_RATIO = 5000
    check_office_zip(io.BytesIO(zeros_bomb(200)))
    settings.OFFICE_MAX_MEMBERS = 10
    with pytest.raises(UnsafeArchive, match="内含 11 个部件，超过 10 个的上限"):
        check_office_zip(io.BytesIO(many_members(11)))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("word/embeddings/Microsoft_Excel_Worksheet.xlsx", b"anything"),
        ("word/media/archive.zip", b"anything"),
        ("word/media/image1.png", b"PK\x03\x04 a zip under a picture's name"),
        ("xl/media/data.bin", b"7z\xbc\xaf\x27\x1c 7-Zip"),
        ("word/media/notes.gz", b"\x1f\x8b gzip"),
    ],
)
def test_it_refuses_an_archive_inside_by_name_or_by_content(name, content):
    nested = with_member(real_docx(), name, content)
    with pytest.raises(UnsafeArchive, match="嵌有其他压缩包"):
        check_office_zip(io.BytesIO(nested), name="材料.docx")


@pytest.mark.parametrize("data", [b"PK\x03\x04" + bytes(16), b"not a zip at all", b""])
def test_it_refuses_a_damaged_container(data):
    with pytest.raises(UnsafeArchive, match="已损坏或不是 Office 文件"):
        check_office_zip(io.BytesIO(data))
