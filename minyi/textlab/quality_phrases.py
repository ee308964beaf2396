"""Phrase patterns for the writing assistant: 空话套话, urgency (急报) and 主动性.

Each is a family of regular expressions rather than a word list, because the habits they
catch are patterns: "在……的正确领导下" takes any leader, "确保……落地见效" any object.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

__all__ = ["VAGUE_PATTERNS", "UrgentSign", "long_known_sign", "urgent_sign", "vague_matches"]

_ANY = r"[^，。；：！？\n]"  # any character inside one clause
# 空话套话: each sounds weighty and says nothing a department can act on.
VAGUE_PATTERNS: tuple[str, ...] = (
    rf"在{_ANY}{{1,20}}?的(?:正确|坚强|有力|亲切)?领导下",
    r"取得了?(?:显著|明显|积极|可喜|丰硕|长足|重大|良好|实实在在)的?(?:成效|成果|成绩|进展|进步)",
    r"(?<![未没不难])(?:取得实效|见到实效)",  # "整治未取得实效" is a fact, not a slogan
    r"(?:提高|提升|强化)(?:政治)?站位",
    r"提高(?:思想)?认识|统一思想",
    rf"增强{_ANY}{{0,16}}?(?:责任感|紧迫感|使命感)",
    rf"确保{_ANY}{{0,12}}?(?:落地见效|落到实处|落实落细|见到成效)",
    r"落到实处|落地见效",
    r"高度重视|(?<![未没有不])引起(?:高度)?重视|给予重视",
    r"(?:进一步|切实|不断)(?:加强|加大|提升|提高|推进|完善|强化|做好|增强)",
    rf"加大{_ANY}{{0,8}}?力度",
    r"多措并举|形成合力|凝心聚力|常抓不懈|久久为功|持续用力|齐抓共管|综合施策|真抓实干|压实责任",
    r"守正创新|统筹兼顾|稳步推进|全面提升|切实解决|采取有效措施|认真落实|大力推进|狠抓落实",
    rf"营造{_ANY}{{0,10}}?氛围",
    rf"以{_ANY}{{1,12}}?为抓手",
    rf"以{_ANY}{{1,24}}?为指导",
    r"全方位[、，]?多层次|坚持以人民为中心",
    r"(?:有关|相关)部门(?:应|要(?!求)|需)|各(?:级|相关)?部门要(?!求)|各级各部门",
)
_VAGUE = re.compile("|".join(f"(?:{p})" for p in VAGUE_PATTERNS))


def vague_matches(text: str) -> list[re.Match[str]]:
    """Every empty phrase in ``text``, left to right."""
    return list(_VAGUE.finditer(text))


# A sudden event happening now: a time word for today/yesterday, or an ongoing state.
_NOW = re.compile(
    r"今天|今日|今晨|今早|今晚|昨天|昨日|昨晚|昨夜|刚刚|此刻|连日来|"
    r"截至(?:今天|今日|发稿|上午|中午|下午|傍晚|晚上|当晚|\d{1,2}时)"
)  # not "目前", "截至目前" nor "正在": a state, a tally, an ongoing campaign ("正在整治")
#: The risk must stand near the time word: a fire tallied elsewhere in the draft is no event.
NEAR_BEFORE, NEAR_AFTER = 40, 160
# Health and safety risks of a sudden event, each with its own label: an explosion is
# "发生爆炸", not a fire. Labels follow the order in which the draft names the risks.
_RISKS: tuple[tuple[str, str], ...] = (
    ("发生爆炸", r"爆炸|爆燃|闪爆"),
    ("发生火情", r"起火|火灾|山火|失火|着火|火势|浓烟"),
    ("发生泄漏", r"泄漏|泄露|外泄|偷排|燃气味|煤气味|刺鼻|死鱼"),
    ("发生坍塌", r"坍塌|塌陷|垮塌|倒塌|沉降|墙体开裂|出现裂缝"),
    ("有人中毒", r"中毒"),
    ("人群聚集或踩踏", r"踩踏|拥挤|人群聚集|聚集|滞留|围堵|群体性"),
    # Being taken to hospital or falling ill, not "就医难" or "到县医院就诊" as a routine.
    ("有群众就医", r"(?:送往|送到|送至|送进)[^，。；]{0,14}(?:医院|卫生院|医务室|急诊)|"
     r"送医|留院观察|救治|抢救|腹泻|呕吐|腹痛|红肿|瘙痒|胸闷|昏迷"),
    ("有人员伤亡", r"伤亡|死亡|遇难"),
    ("群众被困", r"被困|被淹|漫堤|决堤|溃坝|管涌|山洪暴发|泥石流|滑坡"),
)  # fmt: skip
#: At most this many risk types are named in the reason.
MAX_REASONS = 3
_RISK = [(reason, re.compile(p)) for reason, p in _RISKS]


@dataclass(frozen=True)
class UrgentSign:
    reason: str
    start: int
    end: int


def urgent_sign(text: str, recent: Sequence[tuple[int, int]] = ()) -> UrgentSign | None:
    """The first health or safety risk near a time word saying it is happening now.

    ``recent`` adds the spans of dates of the last few days ("9月3日晚"), which only the
    caller can tell from the reference date.
    """
    spans = sorted([(m.start(), m.end()) for m in _NOW.finditer(text)] + list(recent))
    for start, end in spans:
        lo, hi = max(0, start - NEAR_BEFORE), end + NEAR_AFTER
        found = sorted(
            (m.start(), reason, m) for reason, p in _RISK for m in [p.search(text, lo, hi)] if m
        )
        if found:
            _, _, first = found[0]
            reasons = list(dict.fromkeys(reason for _, reason, _ in found))[:MAX_REASONS]
            return UrgentSign("、".join(reasons), first.start(), first.end())
    return None


# 主动性: the matter is long known (only the situation is read: history in the analysis
# is a cause, not the news) ...
# Only words that say "for years": "多次反映" or "一直没有" may mean a few weeks.
_LONG_KNOWN = re.compile(
    r"长期以来|长期存在|多年来|由来已久|存在多年|已有多年|多年的老|困扰[^，。；]{0,10}多年|反映多年|"
    r"多年未|屡禁不止|老大难|久拖不决|历年来|年年都|年年如此|积弊|"
    r"(?P<since>(?:19|20)\d{2})\s*年(?:以来|起|至今)"
)
# ... and nothing in the whole draft looks ahead: a new sign, a trend, a risk to come.
_EMERGING = re.compile(
    r"苗头|倾向|新情况|新问题|新动向|新趋势|新变化|新特点|开始出现|逐渐|日益|日趋|越来越|"
    r"上升|增多|增加|增长|蔓延|扩散|扩大|抬头|初现|萌芽|首次|潜在|隐患|风险|预计|预判|趋势|"
    r"可能(?:引发|导致|发展|演变|出现|造成)|如不及[时早]|若不|防患|未然"
)


#: "2018年以来" says "for years" when the year is at least this far back.
SINCE_YEARS = 2


def long_known_sign(situation: str, full_text: str, today: date) -> re.Match[str] | None:
    """Where the situation says the matter is long known, when no emerging sign is given."""
    if _EMERGING.search(full_text):
        return None
    for m in _LONG_KNOWN.finditer(situation):
        if not m.group("since") or today.year - int(m.group("since")) >= SINCE_YEARS:
            return m
    return None
