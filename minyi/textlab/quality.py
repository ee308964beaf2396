"""Writing assistant for 社情民意 drafts: advice only, never a gate.

Each check looks for one habit the editors ask for (一事一报, 真实性, 民本性, 及时性, 主动性,
a constructive suggestion, a short text, the right title, 急报 when it is one) and returns
findings with a kind message, an example fix and, where it helps, the offending span.
The finding codes are stable: other code and the command line's JSON lines rely on them.
Dates, phrases and matters are read by ``quality_time``, ``quality_phrases`` and
``quality_matters``; this module turns what they find into findings.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from minyi.textlab.quality_matters import Classifier, distinct_items
from minyi.textlab.quality_phrases import (
    VAGUE_PATTERNS,
    long_known_sign,
    urgent_sign,
    vague_matches,
)
from minyi.textlab.quality_time import recent_days, stale_mention
from minyi.textlab.segment import segment

__all__ = [
    "CODES",
    "MAX_CHARS",
    "VAGUE_PATTERNS",
    "Draft",
    "Finding",
    "check",
    "check_text",
]

MAX_CHARS = 1500
#: Every finding code the assistant may raise (stable; new ones are only ever added).
CODES = (
    "title_form", "missing_suggestions", "missing_analysis", "too_long", "multiple_matters",
    "vague_phrase", "no_concrete_facts", "no_affected_group", "stale_event", "suggest_urgent",
    "not_forward_looking",
)  # fmt: skip
_TITLE_KINDS = (
    "(?:几点|若干|对策|相关|有关|情况和|情况及|问题和|问题及)?"
    "(?:紧急情况|建议|情况反映|情况|问题|意见|反映|诉求|呼声|隐患|困难|担忧|风险)"
)
# Not "关于关于……" nor "关于建议……的建议": the kind is said once, at the end.
TITLE_FORM = re.compile(rf"^关于(?!关于|建议).{{2,36}}的(?:{_TITLE_KINDS})$")
_LONG_TITLE = re.compile(rf"^关于(?!关于|建议).{{37,}}的(?:{_TITLE_KINDS})$")
_TITLE_CORE_CHARS = 24
# Cues that stand for a section in a draft written without headings.
_SUGGEST = re.compile(
    r"建议|呼吁|应当|应该|应尽快|恳请|希望(?:有关|相关|政府|部门|尽快|能够)|可以考虑"
)
_OPENS_SUGGESTION = re.compile(r"^(?:为此|对此|因此|我们)?(?:特)?(?:建议|呼吁)")
# "导致/造成" alone tell a consequence ("暴雨导致积水"), not why the problem exists.
_ANALYSIS = re.compile(
    r"原因|在于|根源|症结|究其|源于|归因|之所以|主要是(?:因为|由于)|(?:^|[。；！\n])\s*(?:由于|因为)"
)
# 真实性: figures (not list numbers), a named place, a source, a date.
_LIST_NUMBER = re.compile(r"^\s*[（(]?\d{1,2}\s*[.．、)）](?!\d)", re.M)
_FACT_NUMBER = re.compile(
    r"\d|(?<!第)[一二两三四五六七八九十百千万亿]+(?:个|人|户|家|所|名|次|元|亩|公里|米|吨|辆|件|起|处|"
    r"座|条|万|千|百|成|倍|年|天|小时|岁|间|张|台|部|栋|层|位|批|项|种|份|周)"
)
_FACT_PLACE = re.compile(
    r"[\u4e00-\u9fa5]{2,5}?(?:省|市|县|区|镇|乡|村|街道)(?![场民政容级委直属里内外面值貌长])"
)
# Words ending like a place name that name no place.
_NOT_A_PLACE = re.compile(
    r"(?:城市|超市|都市|城区|市区|社区|小区|园区|景区|辖区|农村|乡村|城乡|山区|郊区|新区|片区|校区|"
    r"街区|林区|全市|本市|我市|该市|各市|全县|我县|本县|该县|各县|全区|我区|本区|该区|各区|全省|"
    r"我省|本省|各省|全镇|本镇|该镇|各乡|全村|本村|该村|各村|城中村)$"
)
# A source: "据……" opening a clause, or the fieldwork behind the figures. Not "证据", "报道".
_FACT_SOURCE = re.compile(
    r"(?:^|[，。；：\n])\s*据|据(?:统计|了解|调查|测算|介绍|反映)|调查|调研|统计|走访|座谈|抽查|"
    r"抽检|暗访|问卷|查阅|巡查|清查|摸底|筛查|检测|监测|(?:数据|调查|统计|监测)显示"
)
_FACT_DATE = re.compile(r"(?:19|20)\d{2}年|\d{1,2}月|[今去前]年")
# 民本性: who is affected.
_GROUPS = re.compile(
    r"群众|居民|村民|市民|百姓|老人|老年人|儿童|孩子|学生|家长|患者|病人|农民|职工|工人|企业|商户|"
    r"残疾人|妇女|农民工|消费者|人群|家庭|住户|业主|师生|员工|游客|旅客|司机|乘客|骑手|快递员|"
    r"租户|租客|经营户|个体户|种植户|养殖户|果农|菜农|渔民|退役军人|孕产妇|孕妇|婴幼儿|青少年|"
    r"未成年人|幼儿|困难群体|低保户|特困|空巢|独居|留守|流动人口|行人|驾驶员|车主|教师|医护|"
    r"医生|护士|从业人员|毕业生|求职者|劳动者|务工人员|用户|新市民|青年|群体|申请人|办事人|"
    # Households, named or counted ("26户", "农户").
    r"农户|贫困户|困难户|散户|(?:\d|[一二两三四五六七八九十百千万几数])+户"
)
# A title already saying it is urgent: the author knows.
_URGENT_TITLE = re.compile(r"紧急情况|急报|特报")  # not "紧急呼叫设备"
_URGENT_CHOICES = frozenset({"urgent", "special"})
# Section headings, alone on their line or followed by the text ("原因分析：……").
_HEADING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六七八九十\d]{1,2}[)）]|\d{1,2}\s*[、.．])?"
    r"\s*(?P<name>基本情况|主要情况|情况概述|情况|存在的?主要问题|存在的?问题|主要问题|问题|"
    r"问题及原因|原因分析|成因分析|问题分析|原因|分析|意见建议|意见和建议|对策建议|对策措施|措施建议|"
    r"几点建议|工作建议|相关建议|对策|建议)\s*(?:[:：]\s*(?P<rest>.*)|$)"
)


@dataclass(frozen=True)
class Draft:
    title: str = ""
    situation: str = ""
    analysis: str = ""
    suggestions: str = ""
    sectioned: bool = True  # False when built from free text: absent sections are unknown
    #: What the author chose (normal / urgent / special); None when unknown (command line).
    urgency: str | None = None

    @classmethod
    def from_text(cls, text: str) -> Draft:
        """Split free text: first line is the title, section headings split the rest.

        A heading stands alone on its line ("原因分析") or starts it ("原因分析：村集体……");
        drafts mix both, so both are read everywhere.
        """
        lines = text.strip().splitlines()
        title = lines[0].strip() if lines else ""
        parts: dict[str, list[str]] = {"situation": [], "analysis": [], "suggestions": []}
        current = "situation"
        found = False
        for line in lines[1:]:
            match = _HEADING.match(line)
            if match:
                current, found = _section_of(match.group("name")), True
                if (match.group("rest") or "").strip():
                    parts[current].append(match.group("rest").strip())
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
    if "建议" in heading or "对策" in heading or "措施" in heading:
        return "suggestions"
    analysis = any(w in heading for w in ("分析", "问题", "原因"))
    return "analysis" if analysis else "situation"


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


@dataclass(frozen=True)
class _Context:
    """What every check may read: the draft, its reference date, an optional classifier."""

    draft: Draft
    today: date
    classifier: Classifier | None = None


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n") if p.strip()]


def _reported(d: Draft) -> str:
    """The title, situation and analysis: what the draft reports, not what it proposes.

    Without headings everything sits in ``situation``; paragraphs that open with a
    suggestion ("建议……", "为此建议：") are left out there too.
    """
    situation = "\n".join(p for p in _paragraphs(d.situation) if not _OPENS_SUGGESTION.match(p))
    return "\n".join((d.title, situation, d.analysis))


def _check_suggestions(c: _Context) -> list[Finding]:
    d = c.draft
    # Headings may leave the suggestions where the author wrote them; the cue words decide.
    if d.suggestions.strip() or _SUGGEST.search(d.body):
        return []
    msg = "还没有看到具体建议。写上希望谁、做什么，信息更容易被采纳。"
    ex = "建议市住建局今年内对全市老旧小区电梯加装申请实行一窗受理。"
    return [Finding("missing_suggestions", "建设性", msg, ex, "suggestions")]


def _check_analysis(c: _Context) -> list[Finding]:
    d = c.draft
    if d.analysis.strip() or _ANALYSIS.search(d.situation) or _middle_paragraph(d):
        return []
    msg = "可以补一两句原因分析，说明问题为什么出现。"
    ex = "问题主要在于审批涉及多个部门、缺少牵头单位。"
    return [Finding("missing_analysis", "分析", msg, ex, "analysis")]


def _middle_paragraph(d: Draft) -> bool:
    """A draft without headings in three parts: the middle ones are its analysis (三段式)."""
    if d.sectioned:
        return False
    paras = _paragraphs(d.situation)
    first_suggestion = next(
        (n for n, p in enumerate(paras) if _OPENS_SUGGESTION.match(p)), len(paras)
    )
    return first_suggestion >= 2


def _check_length(c: _Context) -> list[Finding]:
    n = len(re.sub(r"\s", "", c.draft.full_text))
    if n <= MAX_CHARS:
        return []
    msg = f"全文约{n}字，超过{MAX_CHARS}字。精简背景，突出问题和建议会更好读。"
    return [Finding("too_long", "简洁", msg, "删去与本事项无关的背景介绍和重复表述。")]


def _check_one_matter(c: _Context) -> list[Finding]:
    d = c.draft
    items = distinct_items(d.situation, c.classifier, title=d.title)
    if not items:
        return []
    names = "；".join(f"{'①②③④⑤⑥⑦⑧⑨'[n % 9]}{item.label()}" for n, item in enumerate(items))
    msg = f"这里似乎写了{len(items)}件不同的事：{names}。一事一报：每件事单独成篇，更便于交办。"
    ex = "把第二件事另起一篇，写清它的地点、情况和建议。"
    first, last = items[0], items[-1]
    return [Finding("multiple_matters", "一事一报", msg, ex, "situation", first.start, last.end)]


def _check_vague(c: _Context) -> list[Finding]:
    out: list[Finding] = []
    ex = "把“加大力度”改为“每季度开展一次联合检查”。"
    for name in ("title", "situation", "analysis", "suggestions"):
        for m in vague_matches(getattr(c.draft, name)):
            msg = f"“{m.group(0)}”比较笼统，换成谁来做、做什么、做到什么程度，会更有力量。"
            out.append(Finding("vague_phrase", "务实", msg, ex, name, m.start(), m.end()))
            if len(out) >= 5:
                return out
    return out


def _has_place(text: str) -> bool:
    return any(not _NOT_A_PLACE.search(m.group(0)) for m in _FACT_PLACE.finditer(text))


def _check_facts(c: _Context) -> list[Finding]:
    # Facts are what the draft reports; figures in its suggestions ("30日内") are plans.
    d = c.draft
    text = _LIST_NUMBER.sub("", _reported(d))
    if _FACT_NUMBER.search(text) or _FACT_SOURCE.search(text) or _FACT_DATE.search(text):
        return []
    if _has_place(text):
        return []
    msg = "没有看到数字、地点、时间或来源。加上一两个具体事实，更能体现真实性。"
    ex = "据走访，某区3个社区约1200户居民反映……"
    return [Finding("no_concrete_facts", "真实性", msg, ex, "situation")]


def _check_group(c: _Context) -> list[Finding]:
    if _GROUPS.search(c.draft.full_text):
        return []
    msg = "没有写明受影响的群体。点出是哪些群众的困难，更能体现民本性。"
    return [
        Finding("no_affected_group", "民本性", msg, "例如：“独居老人”“外卖骑手”。", "situation")
    ]


def _check_timeliness(c: _Context) -> list[Finding]:
    # The title and the situation report the event; the analysis may cite older history.
    d = c.draft
    mention = stale_mention(f"{d.title}\n{d.situation}", c.today)
    if mention is None:
        return []
    offset = len(d.title) + 1
    if mention.start < offset:
        name, start, end = "title", mention.start, mention.end
    else:
        name, start, end = "situation", mention.start - offset, mention.end - offset
    said = (d.title if name == "title" else d.situation)[start:end]
    msg = (
        f"信息说的是“{said}”的事，距今已久，也没有说明现在的情况。"
        "信息贵在及时：请补充最新进展，或说明问题至今仍然存在。"
    )
    ex = "补充近期情况，例如“截至本月，仍有12户未修复”。"
    return [Finding("stale_event", "及时性", msg, ex, name, start, end)]


def _title_core(title: str) -> str:
    core = re.sub(r"^[\s“”\"'《》]*(?:关于)+", "", title.strip())
    core = re.sub(rf"的?(?:{_TITLE_KINDS})$", "", core)
    core = re.sub(r"^建议", "", core)
    core = re.split(r"[，。；！？,;!?]", core, maxsplit=1)[0].strip("的 ")
    out = ""
    for word in segment(core):  # cut between words, never inside one
        if len(out) + len(word) > _TITLE_CORE_CHARS:
            break
        out += word
    return out or "某小区加装电梯难"


def _check_title(c: _Context) -> list[Finding]:
    d = c.draft
    title = d.title.strip()
    if TITLE_FORM.match(title) and not re.search(r"[，。；！？]", title):
        return []
    kind = "紧急情况" if _URGENT_TITLE.search(title) else "建议" if "建议" in title else "情况"
    msg = "标题通常写成“关于……的建议/情况/问题”，一眼看出事项。"
    if _LONG_TITLE.match(title):
        msg = "标题偏长。保留事项本身，写成“关于……的建议/情况”即可。"
    ex = f"关于{_title_core(title)}的{kind}"
    return [Finding("title_form", "规范", msg, ex, "title", 0, len(title))]


def _check_urgent(c: _Context) -> list[Finding]:
    d = c.draft
    if d.urgency in _URGENT_CHOICES or (d.urgency is None and _URGENT_TITLE.search(d.title)):
        return []
    if stale_mention(f"{d.title}\n{d.situation}", c.today) is not None:
        return []
    sign = urgent_sign(d.situation, recent_days(d.situation, c.today))
    if sign is None:
        return []
    msg = (
        f"这像是正在发生、危及群众健康安全的突发情况（{sign.reason}）。"
        "建议作为急报或特报报送，便于尽快处置。"
    )
    ex = "在“紧急程度”中选择“急报”，标题写成“关于……的紧急情况”。"
    return [Finding("suggest_urgent", "及时性", msg, ex, "situation", sign.start, sign.end)]


def _check_forward_looking(c: _Context) -> list[Finding]:
    d = c.draft
    if stale_mention(f"{d.title}\n{d.situation}", c.today) is not None:
        return []  # an old event: 及时性 says it already
    sign = long_known_sign(d.situation, d.full_text, c.today)
    if sign is None:
        return []
    msg = (
        f"“{sign.group(0)}”：这是一个存在已久的问题，稿中没有看到新的苗头、倾向或变化。"
        "信息贵在主动：写出这件事近来有什么新情况、可能如何发展，价值会更高。"
    )
    ex = "例如“今年以来投诉比去年同期增加四成，并开始向新建小区蔓延”。"
    return [
        Finding("not_forward_looking", "主动性", msg, ex, "situation", sign.start(), sign.end())
    ]


CHECKS: tuple[Callable[[_Context], list[Finding]], ...] = (
    _check_title, _check_suggestions, _check_analysis, _check_length, _check_one_matter,
    _check_vague, _check_facts, _check_group, _check_timeliness, _check_urgent,
    _check_forward_looking,
)  # fmt: skip


def _labels_of(classifier: Any) -> Classifier | None:
    """Wrap a ``classify.Model`` (anything with ``predict``) into item → label or None."""
    if classifier is None or callable(classifier) and not hasattr(classifier, "predict"):
        return classifier

    def labels(texts: Sequence[str]) -> list[str | None]:
        return [p.label if p.confidence >= 0.5 else None for p in classifier.predict(texts)]

    return labels


def check(draft: Draft, today: date | None = None, *, classifier: Any = None) -> list[Finding]:
    """Return findings for a draft, in a stable order (checks run in CHECKS order).

    ``today`` is the reference date the draft is judged on (its "now"); ``classifier``,
    a trained ``classify.Model`` or a function from texts to labels, helps tell the
    matters of an enumeration apart when the topic lexicon knows none of their words.
    """
    context = _Context(draft, today or date.today(), _labels_of(classifier))
    return [f for chk in CHECKS for f in chk(context)]


def check_text(text: str, today: date | None = None, *, classifier: Any = None) -> list[Finding]:
    """Return findings for a draft given as one text (first line = title)."""
    return check(Draft.from_text(text), today, classifier=classifier)
