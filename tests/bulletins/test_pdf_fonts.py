"""The PDF of a bulletin is set in the GB/T 9704 stand-ins, not in one sans font for everything.

LibreOffice converts a real issue (several items, an editor's note, an upward
recipient so 签发人 is printed, a numbered copy); ``pdffonts`` lists the fonts it
embedded. Every face the document asks for maps to exactly one stand-in through
deploy/fontconfig/65-minyi-gbt9704.conf, so the embedded set must be exactly those
stand-ins: had the 仿宋 body fallen back to another font, that font would be listed.
``pdftotext`` then reads the masthead elements back as text. In CI missing tools
fail (scripts/ensure-documents.sh installs them); elsewhere they skip with a reason.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from minyi.bulletins.models import Issue, IssueCopy
from minyi.bulletins.render import docx_to_pdf, render_issue_docx, render_report_docx
from minyi.reports.models import Report
from tests.factories import make_report, publish

pytestmark = pytest.mark.django_db

TOOLS = ("soffice", "pdffonts", "pdftotext", "fc-list")
#: Face in the DOCX → the PostScript name stem of its stand-in in the PDF.
STAND_INS = {
    "仿宋_GB2312 (body)": "FandolFang-Regular",
    "方正小标宋简体 (masthead, titles)": "NotoSerifCJK",  # the Bold face, checked below
    "黑体 (corner marks, headings)": "NotoSansCJK",
    "楷体_GB2312 (byline, signer, note)": "GBZenKai-Medium",  # AR PL KaitiM GB
}
FORBIDDEN = ("WenQuanYi", "DejaVu", "Droid")


@pytest.fixture
def tools() -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    fonts = subprocess.run(["fc-list", "FandolFang"], capture_output=True, text=True).stdout
    if not fonts.strip():
        missing.append("FandolFang")
    if not missing:
        return
    message = f"缺少 {'、'.join(missing)}"
    if os.environ.get("CI"):
        pytest.fail(f"CI 环境{message}：字体测试不能跳过（见 scripts/ensure-documents.sh）。")
    pytest.skip(f"{message}，跳过 PDF 字体测试；以 root 运行 scripts/ensure-documents.sh 安装。")


def to_pdf(data: bytes, tmp_path: Path, name: str) -> Path:
    pdf = docx_to_pdf(data, timeout=180)
    assert pdf is not None, "LibreOffice 没有生成 PDF"
    path = tmp_path / name
    path.write_bytes(pdf)
    return path


def embedded_fonts(path: Path) -> list[str]:
    """Base font names from ``pdffonts``, without the ``ABCDEF+`` subset prefix."""
    out = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    rows = out.splitlines()[2:]
    return [re.sub(r"^[A-Z]{6}\+", "", row.split()[0]) for row in rows if row.strip()]


def text_of(path: Path) -> str:
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    return re.sub(r"[ \t]+", " ", out)


@pytest.fixture
def issue(cast) -> Issue:
    first = make_report(cast, state="signed_off", urgency="urgent")
    second = make_report(cast, state="signed_off", title="关于规范校外培训机构收费的建议")
    issue = publish(cast, [first, second])
    Report.objects.filter(pk=first.pk).update(
        confidentiality="secret", confidential_until=dt.date(2027, 6, 30)
    )
    Issue.objects.filter(pk=issue.pk).update(editor_note="本期两篇信息均涉及民生，请参阅。")
    IssueCopy.objects.create(issue=issue, number=3, holder="全国政协", printed_by=cast.editor)
    issue.refresh_from_db()
    return issue


def test_it_sets_the_body_in_fangsong_and_titles_in_the_xiaobiaosong_stand_in(
    tools, issue, tmp_path
):
    fonts = embedded_fonts(to_pdf(render_issue_docx(issue, copy_number=3), tmp_path, "i.pdf"))
    for face, stem in STAND_INS.items():
        assert any(name.startswith(stem) for name in fonts), f"{face} 未使用 {stem}：{fonts}"
    # 小标宋's stand-in is the Bold Noto Serif; the Regular one only sets the 宋体 page numbers.
    assert any(name.startswith("NotoSerifCJK") and "-Bold" in name for name in fonts), fonts
    assert not [name for name in fonts if name.startswith(FORBIDDEN)], fonts
    expected = (*STAND_INS.values(), "NotoSerifCJK")
    strangers = [name for name in fonts if not name.startswith(expected)]
    assert strangers == [], f"正文或标题落到了替代字体以外的字体：{strangers}"


def test_it_prints_every_masthead_element_as_text(tools, issue, tmp_path):
    text = text_of(to_pdf(render_issue_docx(issue, copy_number=3), tmp_path, "i.pdf"))
    lines = [line.replace(" ", "") for line in text.splitlines() if line.strip()]
    assert lines[:4] == ["000003", "秘密★2027年6月30日", "加急", "社情民意"]
    compact = re.sub(r"\s+", "", text)
    for expected in (
        f"总第{issue.cumulative_number}期",
        "签发人：钱秘书长",
        "目录",
        "编者按：本期两篇信息均涉及民生，请参阅。",
        "主送：全国政协。",
        "抄送：市委。",
        "印发",
        "（共印1份）",
    ):
        assert expected in compact, expected


def test_it_sets_a_single_report_in_the_same_faces(tools, cast, tmp_path):
    report = make_report(cast, state="submitted", urgency="special")
    fonts = embedded_fonts(to_pdf(render_report_docx(report), tmp_path, "r.pdf"))
    assert any(name.startswith("FandolFang") for name in fonts), fonts
    assert not [name for name in fonts if name.startswith(FORBIDDEN)], fonts
    text = text_of(to_pdf(render_report_docx(report), tmp_path, "r2.pdf")).replace(" ", "")
    assert "特急" in text and f"编号：{report.serial}" in text
