"""Render one of each official document to PNG (page 1, and more for the yearbook) in docs/screenshots/.

Run against a database with the demo data (``make demo``):
    .venv/bin/python manage.py shell < scripts/render_document_screenshots.py
Needs LibreOffice and poppler (scripts/ensure-documents.sh). Each PDF is rasterised
with ``pdftoppm -r 60``, small enough for the docs, large enough to check the layout.
"""

import subprocess
import tempfile
from pathlib import Path

from django.db.models import Count

from minyi.bulletins.models import Bulletin, Issue
from minyi.bulletins.render import docx_to_pdf, render_issue_docx, render_report_docx
from minyi.bulletins.yearbook import render_yearbook_docx
from minyi.reports.models import Report
from minyi.scoring.models import AnnualNotice
from minyi.scoring.render import render_notice_docx

OUT = Path("docs/screenshots")


def shoot(data: bytes, stem: str, pages: int = 1) -> None:
    pdf = docx_to_pdf(data, timeout=300)
    assert pdf is not None, stem
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "doc.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", str(pages), source, OUT / stem],
            check=True,
        )
    print("written", stem, pages)


issued = Issue.objects.filter(state="issued").annotate(n=Count("items"))
special = issued.filter(bulletin__code="zxxxzb", n__gte=2).order_by("-n").first()
shoot(render_issue_docx(special, copy_number=1), "document-zhuanbao", pages=2)
flash = issued.filter(bulletin__code="xxkb").order_by("n").first()
shoot(render_issue_docx(flash), "document-kuaibao")
report = Report.objects.exclude(serial="").filter(state="published").first()
shoot(render_report_docx(report), "document-report")
notice = AnnualNotice.objects.order_by("-year").first()
if notice is not None:
    shoot(render_notice_docx(notice), "document-notice")
sqmy = Bulletin.objects.get(code="sqmy")
year = Issue.objects.filter(bulletin=sqmy, state="issued").order_by("-year").first().year
shoot(render_yearbook_docx(sqmy, year), "document-yearbook", pages=3)
