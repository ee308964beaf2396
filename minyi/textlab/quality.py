"""Writing assistant for 社情民意 drafts: advice only, never a gate.

Each check looks for one habit the editors ask for (一事一报, 真实性, 民本性, 及时性, a
constructive suggestion, a short text) and returns findings with a kind message, an
example fix and, where it helps, the offending span.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

__all__ = ["MAX_CHARS", "VAGUE_PHRASES", "Draft", "Finding", "check", "check_text"]

MAX_CHARS = 1500
STALE_AFTER = timedelta(days=90)
# 空话套话: phrases that sound weighty but say nothing a department can act on.
VAGUE_PHRASES = (
    "高度重视", "进一步加强", "切实加强", "认真落实", "大力推进", "形成合力", "常抓不懈",
    "多措并举", "全面提升", "营造良好氛围", "加大力度", "提高认识", "统筹兼顾", "稳步推进",
    "落到实处", "引起重视", "有关部门应", "相关部门应", "采取有效措施", "切实解决",
)  # fmt: skip
TITLE_FORM = re.compile(r"^关于.{2,}的(建议|情况|问题|意见|反映)$")
_SUGGEST = re.compile(r"建议|应当|应该|希望|呼吁|措施|对策|办法|可以考虑")
_ANALYSIS = re.compile(r"原因|在于|导致|由于|因为|造成|根源|分析|主要是")
_FACT_NUMBER = re.compile(r"\d|[一二三四五六七八九十百千万亿]+(?:个|人|户|家|所|名|次|元|亩|公里)")
# "区" alone would match 小区/社区/园区 in any text; those are not a named place.
_FACT_PLACE = re.compile(
    r"[\u4e00-\u9fa5A-Z0-9]{1,8}(?:省|市|县|(?<![小社园景城])区|镇|乡|村|街道)"
)
_FACT_SOURCE = re.compile(r"据|调查|统计|数据|报道|显示|调研|走访|座谈")
_GROUPS = re.compile(
    r"群众|居民|村民|市民|百姓|老人|老年人|儿童|学生|家长|患者|农民|职工|工人|企业|商户|"
    r"残疾人|妇女|农民工|消费者|人群|家庭|住户|业主|师生|员工|游客|司机|乘客"
)
_SECOND_MATTER = re.compile(r"另外|此外|还有一个问题|另一个问题|顺便反映|同时反映")
_DATE = re.compile(
    r"(20\d{2}|19\d{2})\s*[年\-/.]\s*(\d{1,2})\s*(?:月\s*(?:(\d{1,2})\s*日)?|[\-/.]\s*(\d{1,2}))?"
)
_SECTION = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|\d+[、.．])?\s*"
    r"(基本情况|情况|存在问题|原因分析|问题分析|分析|意见建议|对策建议|建议)\s*[:：]?\s*$"
)


@dataclass(frozen=True)
class Draft:
    title: str = ""
    situation: str = ""
    analysis: str = ""
    suggestions: str = ""
    sectioned: bool = True  # False when built from free text: absent sections are unknown

    @classmethod
    def from_text(cls, text: str) -> Draft:
        """Split free text: first line is the title, section headings split the rest."""
        lines = text.strip().splitlines()
        title = lines[0].strip() if lines else ""
        parts: dict[str, list[str]] = {"situation": [], "analysis": [], "suggestions": []}
        current = "situation"
        found = False
        for line in lines[1:]:
            match = _SECTION.match(line)
            if match:
                current, found = _section_of(match.group(1)), True
                continue
            parts[current].append(line)
        body = {k: "\n".join(v).strip() for k, v in parts.items()}
        return cls(title=title, sectioned=found, **body)

    @property
    def body(self) -> str:
        return "\n".join(p for p in (self.situation, self.analysis, self.suggestions) if p)

    @property
    def full_text(self) -> str:
        return "\n".join(p for p in (self.title, self.body) if p)


def _section_of(heading: str) -> str:
    if "建议" in heading:
        return "suggestions"
    return "analysis" if "分析" in heading or heading == "存在问题" else "situation"


@dataclass(frozen=True)
class Finding:
    code: str
    principle: str
    message: str
    example: str
    field: str | None = None
    start: int | None = None
    end: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _check_suggestions(d: Draft, today: date) -> list[Finding]:
    missing = not d.suggestions.strip() if d.sectioned else not _SUGGEST.search(d.body)
    if not missing:
        return []
    msg = "还没有看到具体建议。写上希望谁、做什么，信息更容易被采纳。"
    ex = "建议市住建局今年内对全市老旧小区电梯加装申请实行一窗受理。"
    return [Finding("missing_suggestions", "建设性", msg, ex, "suggestions")]


def _check_analysis(d: Draft, today: date) -> list[Finding]:
    missing = not d.analysis.strip() if d.sectioned else not _ANALYSIS.search(d.body)
    if not missing:
        return []
    msg = "可以补一两句原因分析，说明问题为什么出现。"
    ex = "问题主要在于审批涉及多个部门、缺少牵头单位。"
    return [Finding("missing_analysis", "分析", msg, ex, "analysis")]


def _check_length(d: Draft, today: date) -> list[Finding]:
    n = len(re.sub(r"\s", "", d.full_text))
    if n <= MAX_CHARS:
        return []
    msg = f"全文约{n}字，超过{MAX_CHARS}字。精简背景，突出问题和建议会更好读。"
    return [Finding("too_long", "简洁", msg, "删去与本事项无关的背景介绍和重复表述。")]


def _span_findings(
    d: Draft, pattern: re.Pattern[str], make: Callable[[str], Finding], limit: int = 5
) -> list[Finding]:
    out: list[Finding] = []
    for name in ("title", "situation", "analysis", "suggestions"):
        for m in pattern.finditer(getattr(d, name)):
            base = make(m.group(0))
            out.append(
                Finding(**{**asdict(base), "field": name, "start": m.start(), "end": m.end()})
            )
            if len(out) >= limit:
                return out
    return out


def _check_one_matter(d: Draft, today: date) -> list[Finding]:
    def make(word: str) -> Finding:
        msg = f"“{word}”后面似乎是另一件事。一事一报：另一件事可以单独成篇。"
        return Finding("multiple_matters", "一事一报", msg, "把第二个问题另起一篇信息报送。")

    found = _span_findings(d, _SECOND_MATTER, make, limit=1)
    if d.title.count("关于") > 1:
        found.append(make("关于"))
    return found[:1]


def _check_vague(d: Draft, today: date) -> list[Finding]:
    pattern = re.compile("|".join(map(re.escape, VAGUE_PHRASES)))

    def make(word: str) -> Finding:
        msg = f"“{word}”比较笼统，换成具体的做法会更有力量。"
        return Finding("vague_phrase", "务实", msg, "把“加大力度”改为“每季度开展一次联合检查”。")

    return _span_findings(d, pattern, make)


def _check_facts(d: Draft, today: date) -> list[Finding]:
    text = d.full_text
    if _FACT_NUMBER.search(text) or _FACT_PLACE.search(text) or _FACT_SOURCE.search(text):
        return []
    msg = "没有看到数字、地点、时间或来源。加上一两个具体事实，更能体现真实性。"
    ex = "据走访，某区3个社区约1200户居民反映……"
    return [Finding("no_concrete_facts", "真实性", msg, ex, "situation")]


def _check_group(d: Draft, today: date) -> list[Finding]:
    if _GROUPS.search(d.full_text):
        return []
    msg = "没有写明受影响的群体。点出是哪些群众的困难，更能体现民本性。"
    return [
        Finding("no_affected_group", "民本性", msg, "例如：“独居老人”“外卖骑手”。", "situation")
    ]


def _latest_date(d: Draft) -> tuple[date, str, re.Match[str]] | None:
    best: tuple[date, str, re.Match[str]] | None = None
    for name in ("title", "situation", "analysis"):
        for m in _DATE.finditer(getattr(d, name)):
            try:
                when = date(int(m.group(1)), int(m.group(2)), int(m.group(3) or m.group(4) or 1))
            except ValueError:
                continue
            if best is None or when > best[0]:
                best = (when, name, m)
    return best


def _check_timeliness(d: Draft, today: date) -> list[Finding]:
    latest = _latest_date(d)
    if latest is None or today - latest[0] <= STALE_AFTER:
        return []
    when, name, m = latest
    msg = f"最近提到的时间是{when:%Y年%m月}，距今已久。如有新进展请补充，信息贵在及时。"
    ex = "补充近期情况，例如“截至本月，问题仍未解决”。"
    return [Finding("stale_event", "及时性", msg, ex, name, m.start(), m.end())]


def _check_title(d: Draft, today: date) -> list[Finding]:
    title = d.title.strip()
    if TITLE_FORM.match(title):
        return []
    msg = "标题通常写成“关于……的建议/情况/问题”，一眼看出事项。"
    ex = f"关于{title[:20] or '某小区加装电梯难'}的建议"
    return [Finding("title_form", "规范", msg, ex, "title", 0, len(title))]


CHECKS: tuple[Callable[[Draft, date], list[Finding]], ...] = (
    _check_title, _check_suggestions, _check_analysis, _check_length, _check_one_matter,
    _check_vague, _check_facts, _check_group, _check_timeliness,
)  # fmt: skip


def check(draft: Draft, today: date | None = None) -> list[Finding]:
    """Return findings for a draft, in a stable order (checks run in CHECKS order)."""
    today = today or date.today()
    return [f for chk in CHECKS for f in chk(draft, today)]


def check_text(text: str, today: date | None = None) -> list[Finding]:
    """Return findings for a draft given as one text (first line = title)."""
    return check(Draft.from_text(text), today)
