"""``manage.py compile_yearbook <series code> <year>``: a year's issues as one DOCX (and PDF).

The same document as the 汇编 button on /documents/yearbook/; the PDF is written
beside the DOCX when LibreOffice is installed (``--no-pdf`` skips it).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from minyi.bulletins.models import Bulletin
from minyi.bulletins.render import docx_to_pdf, pdf_available
from minyi.bulletins.yearbook import render_yearbook_docx, yearbook_issues


class Command(BaseCommand):
    help = "把一种刊物一年内已印发的各期汇编为 DOCX（装有 LibreOffice 时另出 PDF）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("series", help="刊物代号（如 sqmy）")
        parser.add_argument("year", type=int, help="年份，如 2026")
        parser.add_argument("--output", "-o", type=Path, help="DOCX 文件路径（默认在当前目录）")
        parser.add_argument("--no-pdf", action="store_true", help="不生成 PDF")

    def handle(self, *args: Any, **options: Any) -> None:
        bulletin = Bulletin.objects.filter(code=options["series"]).first()
        if bulletin is None:
            codes = "、".join(Bulletin.objects.values_list("code", flat=True)) or "（无）"
            raise CommandError(f"没有代号为 {options['series']} 的刊物；现有：{codes}")
        year = options["year"]
        if not 2000 <= year <= 2100:
            raise CommandError("年份须在2000年至2100年之间。")
        target: Path = options["output"] or Path(f"{bulletin.name}{year}年汇编.docx")
        data = render_yearbook_docx(bulletin, year)
        target.write_bytes(data)
        count = len(yearbook_issues(bulletin, year))
        self.stdout.write(f"已生成 {target}（{count} 期）")
        if options["no_pdf"]:
            return
        if not pdf_available():
            self.stderr.write("未安装 LibreOffice，未生成 PDF。")
            return
        pdf = docx_to_pdf(data, timeout=300)
        if pdf is None:
            raise CommandError("PDF 转换失败。")
        target.with_suffix(".pdf").write_bytes(pdf)
        self.stdout.write(f"已生成 {target.with_suffix('.pdf')}")
