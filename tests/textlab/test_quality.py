from __future__ import annotations

from datetime import date

from minyi.textlab.quality import Draft, check, check_text

TODAY = date(2025, 6, 1)
GOOD = Draft(
    title="关于老旧小区加装电梯审批难的建议",
    situation="2025年5月，某市A区30个小区的老年居民反映加装电梯审批要跑5个部门。",
    analysis="问题主要在于审批涉及多个部门，缺少牵头单位。",
    suggestions="建议市住建局牵头，实行一窗受理，30个工作日内办结。",
)


def codes(findings: list) -> list[str]:
    return [f.code for f in findings]


def test_it_has_no_findings_for_a_good_draft() -> None:
    assert check(GOOD, TODAY) == []


def test_it_flags_missing_sections_and_title_form() -> None:
    found = codes(check(Draft(title="电梯的事", situation="2025年5月居民说电梯难装。"), TODAY))
    assert {"title_form", "missing_suggestions", "missing_analysis"} <= set(found)


def test_it_marks_vague_phrases_with_spans() -> None:
    draft = Draft(**{**GOOD.__dict__, "suggestions": "建议有关部门高度重视。"})
    [finding] = [f for f in check(draft, TODAY) if f.code == "vague_phrase"]
    assert finding.field == "suggestions"
    assert draft.suggestions[finding.start : finding.end] == "高度重视"
    assert finding.principle == "务实"
    assert finding.example


def test_it_flags_more_than_one_matter() -> None:
    draft = Draft(**{**GOOD.__dict__, "situation": GOOD.situation + "另外，小区停车也很难。"})
    assert "multiple_matters" in codes(check(draft, TODAY))


def test_it_flags_long_drafts() -> None:
    draft = Draft(**{**GOOD.__dict__, "situation": GOOD.situation + "情况" * 800})
    assert "too_long" in codes(check(draft, TODAY))


def test_it_asks_for_facts_and_an_affected_group() -> None:
    draft = Draft(
        title=GOOD.title,
        situation="电梯很难装。",
        analysis="原因在于审批。",
        suggestions="建议简化。",
    )
    assert {"no_concrete_facts", "no_affected_group"} <= set(codes(check(draft, TODAY)))


def test_it_flags_stale_event_dates() -> None:
    draft = Draft(
        **{**GOOD.__dict__, "situation": GOOD.situation.replace("2025年5月", "2023年3月")}
    )
    [finding] = [f for f in check(draft, TODAY) if f.code == "stale_event"]
    assert draft.situation[finding.start : finding.end] == "2023年3月"
    assert finding.principle == "及时性"


def test_it_splits_one_text_into_sections() -> None:
    text = (
        "关于老旧小区加装电梯审批难的建议\n2025年5月，某市30个小区居民反映审批慢。\n"
        "原因分析\n审批涉及多个部门。\n建议\n建议住建局牵头一窗受理。\n"
    )
    assert check_text(text, TODAY) == []
