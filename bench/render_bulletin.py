"""Bench: render a 30-item bulletin issue as DOCX (several runs) and as PDF (once).

Builds its data in a throw-away SQLite database under a temporary MINYI_VAR_DIR,
so it never touches the development database. Target: DOCX ≤ 1 s.

Run: .venv/bin/python bench/render_bulletin.py [--items 30] [--runs 7] [--pdf-out issue.pdf]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results"
TARGET_DOCX_S = 1.0

# Paragraph lines of a typical report (~900 characters in all), so the
# document has the size of a real issue, not 30 one-line stubs.
SITUATION = "\n".join(
    f"{n}．近年来我市常住人口持续增长，相关公共服务供给与群众需求之间仍有差距，"
    "部分区县设施布局不均衡、服务标准不统一，群众反映较为集中。"
    for n in range(1, 4)
)
ANALYSIS = "\n".join(
    f"{n}．规划、建设、运营各环节衔接不够，资金保障机制不健全，专业人才队伍建设滞后，"
    "社会力量参与的渠道和激励措施不足。"
    for n in range(1, 4)
)
SUGGESTIONS = "\n".join(
    f"{n}．建议统筹规划布局，完善财政补贴与购买服务政策，加强专业人才培养，"
    "鼓励社会资本参与，建立定期评估和群众满意度反馈机制。"
    for n in range(1, 5)
)


def setup_django(var_dir: Path) -> None:
    os.environ["MINYI_VAR_DIR"] = str(var_dir)
    os.environ.pop("MINYI_DATABASE_URL", None)  # always the temporary SQLite file
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minyi.settings")
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def build_issue(items: int):
    from tests.factories import make_cast, make_report, publish

    cast = make_cast()
    reports = [
        make_report(
            cast,
            state="signed_off",
            title=f"关于进一步完善第{n + 1}项民生服务保障机制的建议",
            situation=SITUATION,
            analysis=ANALYSIS,
            suggestions=SUGGESTIONS,
        )
        for n in range(items)
    ]
    return publish(cast, reports)


def time_docx(issue, runs: int) -> tuple[list[float], bytes]:
    from minyi.bulletins.models import Issue
    from minyi.bulletins.render import render_issue_docx

    timings, data = [], b""
    for _ in range(runs):
        fresh = Issue.objects.select_related("bulletin", "approver").get(pk=issue.pk)
        start = time.perf_counter()  # includes the queries, as the view pays them too
        data = render_issue_docx(fresh)
        timings.append(time.perf_counter() - start)
    return timings, data


def time_pdf(data: bytes, pdf_out: Path | None) -> dict[str, object]:
    from minyi.bulletins.render import docx_to_pdf, pdf_available

    if not pdf_available():
        return {"pdf_available": False}
    start = time.perf_counter()
    pdf = docx_to_pdf(data, timeout=300)
    elapsed = time.perf_counter() - start
    if pdf is not None and pdf_out is not None:
        pdf_out.write_bytes(pdf)
    return {
        "pdf_available": True,
        "pdf_ok": pdf is not None,
        "pdf_s": round(elapsed, 2),
        "pdf_bytes": len(pdf or b""),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=30)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--pdf-out", type=Path, help="also keep the converted PDF here")
    args = parser.parse_args()
    out: dict[str, object] = {"cpu_count": os.cpu_count(), "items": args.items, "runs": args.runs}
    with tempfile.TemporaryDirectory(prefix="minyi-bench-") as tmp:
        setup_django(Path(tmp))
        issue = build_issue(args.items)
        timings, data = time_docx(issue, args.runs)
        out.update(
            docx_min_s=round(min(timings), 3),
            docx_median_s=round(statistics.median(timings), 3),
            docx_max_s=round(max(timings), 3),
            docx_bytes=len(data),
            docx_target_s=TARGET_DOCX_S,
            docx_within_target=statistics.median(timings) <= TARGET_DOCX_S,
        )
        out.update(time_pdf(data, args.pdf_out))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "render_bulletin.json").write_text(
        json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    for key, value in out.items():
        sys.stdout.write(f"{key}: {value}\n")


if __name__ == "__main__":
    main()
