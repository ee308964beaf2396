"""Command line: ``python -m minyi.textlab <command>``; results go to stdout, notes to stderr."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from minyi.textlab.tables import column_list, joined, parse_filter, read_rows, require_columns

_TIME_FORMATS = ("%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d", "%Y-%m-%d %H:%M:%S",
                 "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d")  # fmt: skip


def _out(line: str) -> None:
    """Write one line of results to stdout (the CLI's only output channel)."""
    sys.stdout.write(line + "\n")


def _parse_time(value: str) -> datetime | None:
    value = (value or "").strip()
    for fmt in _TIME_FORMATS:
        try:
            return datetime.strptime(value, fmt)
        except ValueError:
            continue
    return None


def cmd_near_duplicates(args: argparse.Namespace) -> int:
    from minyi.textlab.minhash import near_duplicate_pairs

    columns = column_list(args.text_columns)
    rows = read_rows(args.input)
    require_columns(rows, [args.id_column, *columns], args.input)
    docs = [(row[args.id_column], joined(row, columns)) for row in rows]
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["id_a", "id_b", "jaccard"])
    for pair in near_duplicate_pairs(docs, args.threshold):
        writer.writerow([pair.id_a, pair.id_b, f"{pair.jaccard:.4f}"])
    return 0


def _labelled(path: str, text: str, label: str, flt: str | None) -> tuple[list[str], list[str]]:
    columns = column_list(text)
    rows = read_rows(path, parse_filter(flt))
    require_columns(rows, [*columns, label], path)
    return [joined(r, columns) for r in rows], [r[label] for r in rows]


def cmd_classify_eval(args: argparse.Namespace) -> int:
    from sklearn.metrics import accuracy_score, classification_report, f1_score

    from minyi.textlab.classify import train

    x_train, y_train = _labelled(args.train, args.train_text, args.train_label, args.train_filter)
    x_test, y_test = _labelled(args.test, args.test_text, args.test_label, args.test_filter)
    if not x_test:
        raise SystemExit("no test rows")
    model = train(x_train, y_train)
    predicted = [p.label for p in model.predict(x_test)]
    _out(classification_report(y_test, predicted, digits=4, zero_division=0))
    f1 = f1_score(y_test, predicted, average="macro", zero_division=0)
    acc = accuracy_score(y_test, predicted)
    _out(f"macro_f1={f1:.4f} accuracy={acc:.4f} n={len(y_test)}")
    return 0


def cmd_hot_topics(args: argparse.Namespace) -> int:
    from minyi.textlab.hot_topics import Doc, hot_topics

    columns = column_list(args.text_columns)
    rows = read_rows(args.input)
    needed = [args.id_column, *columns, args.time_column]
    require_columns(rows, needed + ([args.likes_column] if args.likes_column else []), args.input)
    docs = [
        Doc(
            id=row[args.id_column],
            title=row[columns[0]],
            body=joined(row, columns[1:]),
            time=_parse_time(row[args.time_column]),
            author=row.get(args.author_column) if args.author_column else None,
            likes=_int(row.get(args.likes_column)) if args.likes_column else 0,
        )
        for row in rows
    ]
    for topic in hot_topics(docs, args.top):
        out = {"rank": topic.rank, "label": topic.label, "size": topic.size,
               "ids": topic.ids, "heat": topic.heat}  # fmt: skip
        _out(json.dumps(out, ensure_ascii=False))
    return 0


def _int(value: str | None) -> int:
    try:
        return int(float(value or 0))
    except ValueError:
        return 0


def cmd_check_draft(args: argparse.Namespace) -> int:
    from minyi.textlab.quality import check_text

    text = Path(args.file).read_text(encoding="utf-8-sig")
    for finding in check_text(text, args.today):
        _out(json.dumps(finding.to_dict(), ensure_ascii=False))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m minyi.textlab", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("near-duplicates", help="print pairs with 3-gram Jaccard >= threshold")
    p.add_argument("--input", required=True)
    p.add_argument("--id-column", required=True)
    p.add_argument("--text-columns", required=True, help="comma-separated, joined in order")
    p.add_argument("--threshold", type=float, default=0.7)
    p.set_defaults(func=cmd_near_duplicates)

    p = sub.add_parser("classify-eval", help="train on one CSV, report macro-F1 on another")
    for side in ("train", "test"):
        p.add_argument(f"--{side}", required=True)
        p.add_argument(f"--{side}-text", required=True, help="comma-separated text columns")
        p.add_argument(f"--{side}-label", required=True)
        p.add_argument(f"--{side}-filter", help="keep rows where column=value, e.g. split=dev")
    p.set_defaults(func=cmd_classify_eval)

    p = sub.add_parser("hot-topics", help="print the hottest topics as JSON lines")
    p.add_argument("--input", required=True)
    p.add_argument("--id-column", required=True)
    p.add_argument("--text-columns", required=True, help="title column first, then body")
    p.add_argument("--time-column", required=True)
    p.add_argument("--likes-column")
    p.add_argument("--author-column")
    p.add_argument("--top", type=int, default=10)
    p.set_defaults(func=cmd_hot_topics)

    p = sub.add_parser("check-draft", help="print writing advice for a draft as JSON lines")
    p.add_argument("file")
    p.add_argument(
        "--today",
        type=date.fromisoformat,
        help="reference date the draft is judged on, YYYY-MM-DD (default: today)",
    )
    p.set_defaults(func=cmd_check_draft)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
