from __future__ import annotations

import json
from pathlib import Path

import pytest

from minyi.textlab.__main__ import main
from tests.textlab.helpers import teddy_file

CSV = (
    "\ufeffid,title,body\n"
    '1,关于电梯的建议,"青石小区加装电梯审批难，\n居民反映多次"\n'
    '2,关于电梯的建议,"青石小区加装电梯审批难，\n居民反映多次。"\n'
    "3,图书馆,周末图书馆五点就关门\n"
)


def test_it_prints_near_duplicate_pairs_as_csv(tmp_path: Path, capsys) -> None:
    path = tmp_path / "in.csv"
    path.write_text(CSV, encoding="utf-8")
    assert (
        main(
            [
                "near-duplicates",
                "--input",
                str(path),
                "--id-column",
                "id",
                "--text-columns",
                "title,body",
                "--threshold",
                "0.7",
            ]
        )
        == 0
    )
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "id_a,id_b,jaccard"
    [row] = lines[1:]
    id_a, id_b, score = row.split(",")
    assert (id_a, id_b) == ("1", "2")
    assert len(score.split(".")[1]) == 4


def test_it_rejects_a_missing_column(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text(CSV, encoding="utf-8")
    with pytest.raises(SystemExit):
        main(
            [
                "near-duplicates",
                "--input",
                str(path),
                "--id-column",
                "nope",
                "--text-columns",
                "title",
            ]
        )


def test_it_prints_draft_findings_as_json_lines(tmp_path: Path, capsys) -> None:
    path = tmp_path / "draft.txt"
    path.write_text("电梯的事\n有关部门要高度重视。\n", encoding="utf-8")
    assert main(["check-draft", str(path)]) == 0
    findings = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert "title_form" in {f["code"] for f in findings}
    assert all(
        {"code", "principle", "message", "example", "start", "end"} <= f.keys() for f in findings
    )


def test_it_prints_hot_topics_as_json_lines(tmp_path: Path, capsys) -> None:
    path = tmp_path / "in.csv"
    rows = ["id,title,body,time,likes"]
    for k in range(5):
        rows.append(
            f"{k},青石小区电梯审批难,青石小区电梯加装申请被卡住第{k}回,2025/6/{k + 1} 10:00:00,3"
        )
    rows.append("9,图书馆关门早,周末图书馆五点就关门,2025/6/1,0")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert (
        main(
            [
                "hot-topics",
                "--input",
                str(path),
                "--id-column",
                "id",
                "--text-columns",
                "title,body",
                "--time-column",
                "time",
                "--likes-column",
                "likes",
                "--top",
                "2",
            ]
        )
        == 0
    )
    topics = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert topics[0]["rank"] == 1
    assert set(topics[0]) == {"rank", "label", "size", "ids", "heat"}
    assert topics[0]["size"] == 5


def test_it_evaluates_the_classifier_with_row_filters(capsys) -> None:
    path = str(teddy_file("messages_labeled.csv"))
    assert (
        main(
            [
                "classify-eval",
                "--train",
                path,
                "--train-text",
                "留言文本",
                "--train-label",
                "一级标签",
                "--train-filter",
                "split=dev",
                "--test",
                path,
                "--test-text",
                "留言文本",
                "--test-label",
                "一级标签",
                "--test-filter",
                "split=test",
            ]
        )
        == 0
    )
    last = capsys.readouterr().out.strip().splitlines()[-1]
    fields = dict(part.split("=") for part in last.split())
    assert set(fields) == {"macro_f1", "accuracy", "n"}
    assert fields["n"] == "921"
