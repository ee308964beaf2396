"""The real PDF of a bulletin issue: LibreOffice converts, poppler reads it back.

Text extraction proves the Chinese came out as glyphs, not tofu; a rasterised
page 1 proves something is drawn and the masthead is red; pdfinfo proves A4.
Outside CI missing tools skip with a reason; in CI (``CI`` set) they fail, so
this check can never vanish silently (``scripts/ensure-documents.sh`` installs them).
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from django.urls import reverse

from minyi.bulletins.render import docx_to_pdf, render_issue_docx
from tests.factories import make_report, publish

pytestmark = pytest.mark.django_db

TOOLS = ("soffice", "pdftotext", "pdftoppm", "pdfinfo")
TITLES = (
    "关于加快社区养老服务设施建设的建议",
    "关于规范校外培训机构收费管理的建议",
    "关于改善老旧小区停车难问题的建议",
)
A4_POINTS = (595.28, 841.89)


@pytest.fixture
def tools() -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if not missing:
        return
    message = f"缺少 {'、'.join(missing)}（libreoffice-writer-nogui、poppler-utils）"
    if os.environ.get("CI"):
        pytest.fail(f"CI 环境{message}：PDF 测试不能跳过（见 scripts/ensure-documents.sh）。")
    pytest.skip(f"{message}，跳过真实 PDF 测试；make test 会自动安装。")


@pytest.fixture
def issue(cast):
    return publish(cast, [make_report(cast, state="signed_off", title=t) for t in TITLES])


@pytest.fixture
def pdf_path(tools, issue, tmp_path: Path) -> Path:
    pdf = docx_to_pdf(render_issue_docx(issue), timeout=120)
    assert pdf is not None, "LibreOffice 没有生成 PDF"
    path = tmp_path / "issue.pdf"
    path.write_bytes(pdf)
    return path


def run(*command: str | Path) -> str:
    return subprocess.run(
        [str(part) for part in command], capture_output=True, check=True, text=True, timeout=60
    ).stdout


# --- A tiny PNG reader: 8-bit greyscale/RGB/RGBA, not interlaced (what pdftoppm writes) ---


def read_png(path: Path) -> tuple[int, int, list[bytes]]:
    """Return width, height and the pixel rows as RGB bytes."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        chunk = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = chunk
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    width, height, depth, colour, _c, _f, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and interlace == 0 and colour in (0, 2, 6), "未预期的 PNG 格式"
    channels = {0: 1, 2: 3, 6: 4}[colour]
    raw, stride = zlib.decompress(idat), width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        row = unfilter(
            raw[start], bytearray(raw[start + 1 : start + 1 + stride]), previous, channels
        )
        previous = row
        rows.append(bytes(row) if channels == 3 else to_rgb(row, channels))
    return width, height, rows


def unfilter(kind: int, row: bytearray, prev: bytearray, bpp: int) -> bytearray:
    for i in range(len(row)):
        left = row[i - bpp] if i >= bpp else 0
        up, corner = prev[i], prev[i - bpp] if i >= bpp else 0
        if kind == 1:
            row[i] = (row[i] + left) & 0xFF
        elif kind == 2:
            row[i] = (row[i] + up) & 0xFF
        elif kind == 3:
            row[i] = (row[i] + (left + up) // 2) & 0xFF
        elif kind == 4:
            p = left + up - corner
            pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
            pred = left if pa <= pb and pa <= pc else up if pb <= pc else corner
            row[i] = (row[i] + pred) & 0xFF
    return row


def to_rgb(row: bytearray, channels: int) -> bytes:
    if channels == 1:
        return bytes(v for g in row for v in (g, g, g))
    return bytes(v for i in range(0, len(row), 4) for v in row[i : i + 3])


def pixels(rows: list[bytes]):
    for row in rows:
        for i in range(0, len(row), 3):
            yield row[i], row[i + 1], row[i + 2]


def is_red(r: int, g: int, b: int) -> bool:
    return r > 180 and g < 90 and b < 90


# --- Tests --------------------------------------------------------------------


def test_it_prints_the_masthead_titles_and_number_as_real_chinese_text(pdf_path, issue):
    text = re.sub(r"\s+", "", run("pdftotext", "-enc", "UTF-8", pdf_path, "-"))
    # Whitespace dropped: a long 二号 title may wrap over two lines.
    assert "社情民意" in text
    assert f"{issue.year}年第{issue.number}期" in text
    for title in TITLES:
        assert title in text
    assert "签发人：钱秘书长" in text
    assert "\ufffd" not in text and "□" not in text  # no replacement glyphs (tofu)


def test_it_draws_page_one_with_a_red_masthead(pdf_path, tmp_path):
    run("pdftoppm", "-r", "50", "-f", "1", "-l", "1", "-png", pdf_path, tmp_path / "page")
    (png,) = tmp_path.glob("page*.png")
    width, height, rows = read_png(png)
    # A4 at 50 dpi is about 413 × 585 pixels.
    assert (abs(width - 413) <= 2, abs(height - 585) <= 2) == (True, True)
    ink = sum(1 for r, g, b in pixels(rows) if min(r, g, b) < 200)
    assert ink > width * height // 100, "第 1 页几乎是空白"
    # The masthead and its red rule end about a third of the way down the page.
    top, bottom = rows[: height * 2 // 5], rows[height // 2 :]
    assert sum(1 for p in pixels(top) if is_red(*p)) > 200, "版头不是红色"
    # Only the masthead and its rule are red; the body text is black.
    assert sum(1 for p in pixels(bottom) if is_red(*p)) < 20


def test_it_makes_every_page_a4(pdf_path):
    info = run("pdfinfo", "-f", "1", "-l", "99", pdf_path)
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert sizes, info
    for width, height in sizes:
        assert abs(float(width) - A4_POINTS[0]) < 1 and abs(float(height) - A4_POINTS[1]) < 1
    assert "(A4)" in info


def test_it_sends_the_editor_a_pdf_and_hides_it_from_a_member(tools, cast, client_for, issue):
    url = reverse("documents:issue_pdf", args=[issue.pk])
    response = client_for(cast.editor).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert client_for(cast.member).get(url).status_code == 404
