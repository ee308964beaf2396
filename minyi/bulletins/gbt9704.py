"""Official-document layout (公文格式, GB/T 9704-2012) for python-docx: page, type, faces, rules.

Every official-format document the platform writes (a bulletin issue, a report for
转送, the annual scoring notice) starts from ``new_document`` and builds its text with
``add_paragraph`` / ``add_run``, so the page set-up and the fonts are the same in all.

Fonts: Word picks the font for Chinese characters from ``w:eastAsia``, not
from ``w:ascii``, so every run sets all three. A run can name only one font;
the fallback chain lives in the document's font table as ``w:altName`` (a
comma-separated list Word and LibreOffice use when the first is missing).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

if TYPE_CHECKING:
    import datetime as dt

    from docx.document import Document as DocxDocument
    from docx.oxml.text.font import CT_RPr
    from docx.section import Section
    from docx.text.paragraph import Paragraph


# --- Page and type (GB/T 9704-2012 §5) ----------------------------------------

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM = Mm(37), Mm(35)
MARGIN_LEFT, MARGIN_RIGHT = Mm(28), Mm(26)
# 22 lines of 三号 text in the 225 mm type area is the standard; we follow the
# office's house rule of 28 lines, which gives an exact pitch of 28.95 pt.
LINE_PITCH = Pt(28.95)
RED = RGBColor(0xE6, 0x00, 0x12)  # 公文红 (close to Pantone 485C)

SIZE_MASTHEAD = Pt(48)
SIZE_ERHAO = Pt(22)  # 二号
SIZE_SANHAO = Pt(16)  # 三号, the body size
SIZE_SIHAO = Pt(14)  # 四号, 版记 and page numbers


@dataclass(frozen=True)
class Face:
    """A typeface: the name runs ask for, and what to use when it is not installed."""

    name: str
    fallbacks: str


XIAOBIAOSONG = Face("方正小标宋简体", "方正小标宋_GBK,华文中宋,STZhongsong,宋体,SimSun")
FANGSONG = Face("仿宋_GB2312", "仿宋,FangSong,STFangsong,Noto Serif CJK SC")
KAITI = Face("楷体_GB2312", "楷体,KaiTi,STKaiti,Noto Serif CJK SC")
HEITI = Face("黑体", "SimHei,STHeiti,Noto Sans CJK SC")
SONGTI = Face("宋体", "SimSun,STSong,Noto Serif CJK SC")
FACES = (XIAOBIAOSONG, FANGSONG, KAITI, HEITI, SONGTI)

# pPr children that must follow w:pBdr (ECMA-376 §17.3.1.26); Word rejects other orders.
PPR_AFTER_BORDERS = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip


# --- Document skeleton --------------------------------------------------------


def new_document(*, title: str) -> DocxDocument:
    """A blank A4 document set up to the standard: margins, line grid, 三号仿宋, page numbers."""
    doc = Document()
    doc.core_properties.title = title
    doc.core_properties.author = f"{settings.HOST_NAME}研究室"
    doc.core_properties.language = "zh-CN"
    _default_style(doc)
    _font_table(doc)
    section = doc.sections[0]
    _page_setup(section)
    _page_number_footer(section)
    return doc


def _page_setup(section: Section) -> None:
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    # Page numbers sit about 7 mm below the type area (GB/T 9704 §7.5).
    section.footer_distance = Mm(22)
    section.header_distance = Mm(15)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(LINE_PITCH.pt * 20)))


def _default_style(doc: DocxDocument) -> None:
    """Body type for anything not styled explicitly: 三号仿宋, Chinese language."""
    style = doc.styles["Normal"]
    style.font.size = SIZE_SANHAO
    _set_faces(style.element.get_or_add_rPr(), FANGSONG)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    style.element.get_or_add_rPr().append(lang)
    fmt = style.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE_PITCH
    fmt.widow_control = False  # official documents fill every line, no orphan control


def _font_table(doc: DocxDocument) -> None:
    """Declare each face with its fallbacks (``w:altName``) and the GB2312 charset."""
    part = doc.part.part_related_by(RT.FONT_TABLE)
    # The font table is a generic part in python-docx: edit the parsed tree, then re-serialise.
    root = etree.fromstring(part.blob)
    for face in FACES:
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), face.name)
        for tag, value in (("w:altName", face.fallbacks), ("w:charset", "86")):
            child = etree.SubElement(font, qn(tag))
            child.set(qn("w:val"), value)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page_number_footer(section: Section) -> None:
    """``— 1 —`` centred: 四号宋体 Arabic numerals between em dashes, from a PAGE field."""
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_run(p, "— ", SONGTI, SIZE_SIHAO)
    add_field(p, "PAGE", "1", SONGTI, SIZE_SIHAO)
    add_run(p, " —", SONGTI, SIZE_SIHAO)


def document_bytes(doc: DocxDocument) -> bytes:
    """The finished document as a .docx file's bytes."""
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# --- Blocks shared by every document -----------------------------------------


def add_title(doc: DocxDocument, title: str) -> None:
    p = add_paragraph(doc, title, XIAOBIAOSONG, SIZE_ERHAO)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # Two-line titles at 二号 need more than the body pitch.
    p.paragraph_format.line_spacing = Pt(36)
    p.paragraph_format.space_before = Pt(14)
    p.paragraph_format.space_after = Pt(14)
    # On the line grid LibreOffice gives each 36 pt line two grid lines, which
    # pulls a wrapped title apart; the title keeps its own 36 pt pitch instead.
    off_grid(p)


def chinese_date(day: dt.date) -> str:
    # GB/T 9704 §7.3.5.4: Arabic numerals, full year, no leading zeros.
    return f"{day.year}年{day.month}月{day.day}日"


# --- Runs and raw XML ---------------------------------------------------------


def add_paragraph(
    doc: DocxDocument,
    text: str,
    face: Face,
    size: Pt,
    *,
    indent: bool = False,
    color: RGBColor | None = None,
) -> Paragraph:
    p = doc.add_paragraph()
    if indent:
        p.paragraph_format.first_line_indent = Pt(size.pt * 2)
        # firstLineChars keeps the indent at two characters if the size changes in Word.
        p.paragraph_format.element.get_or_add_pPr().get_or_add_ind().set(
            qn("w:firstLineChars"), "200"
        )
    if text:
        add_run(p, text, face, size, color=color)
    return p


def add_run(
    p: Paragraph, text: str, face: Face, size: Pt, *, color: RGBColor | None = None
) -> None:
    run = p.add_run(text)
    run.font.size = size
    if color is not None:
        run.font.color.rgb = color
    _set_faces(run._element.get_or_add_rPr(), face)


def _set_faces(rpr: CT_RPr, face: Face) -> None:
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), face.name)
    fonts.set(qn("w:hint"), "eastAsia")


def add_field(p: Paragraph, instruction: str, placeholder: str, face: Face, size: Pt) -> None:
    """A complex field (begin, instruction, separate, cached result, end)."""
    for kind in ("begin", "instr", "separate", "result", "end"):
        run = p.add_run(placeholder if kind == "result" else "")
        run.font.size = size
        _set_faces(run._element.get_or_add_rPr(), face)
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {instruction} "
            run._element.append(instr)
        elif kind != "result":
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._element.append(char)


def off_grid(p: Paragraph) -> None:
    """Let a paragraph keep its own line spacing instead of snapping to the document grid."""
    ppr = p._p.get_or_add_pPr()
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    after = PPR_AFTER_BORDERS[PPR_AFTER_BORDERS.index("w:snapToGrid") + 1 :]
    ppr.insert_element_before(snap, *after)


def add_border(p: Paragraph, side: str, *, size: int, color: RGBColor | None = None) -> None:
    """A paragraph rule; ``size`` is in eighths of a point, as Word counts it."""
    ppr = p._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.insert_element_before(borders, *PPR_AFTER_BORDERS)
    edge = OxmlElement(f"w:{side}")
    edge.set(qn("w:val"), "single")
    edge.set(qn("w:sz"), str(size))
    edge.set(qn("w:space"), "1")
    edge.set(qn("w:color"), str(color) if color is not None else "000000")
    # Schema order inside pBdr: top, left, bottom, right.
    if side == "top":
        borders.insert(0, edge)
    else:
        borders.append(edge)
