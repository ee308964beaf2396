"""Write report texts from the topic library: topic × place × facts × causes × suggestions."""

from __future__ import annotations

import random

from minyi.demo.topics import Topic
from minyi.demo.words import DISTRICTS

STREETS = ("长青", "解放", "和平", "新华", "建设", "人民", "光明", "朝阳", "滨江", "望湖")
NUMERALS = "一二三四五六七八九"

OPENERS = (
    "近期，我们在{place}调研发现，{topic}方面的问题较为突出，群众反映强烈。",
    "{topic}关系群众切身利益。据了解，{place}在这方面仍存在不少短板。",
    "今年以来，{place}持续推进{topic}工作，取得一定成效，但仍有一些问题亟待解决。",
    "不少群众向委员反映，{place}{topic}方面的问题给日常生活带来不便。",
)
EXTRA_FACTS = (
    "据{place}12345热线统计，{year}年相关诉求达{n}件，同比增长{pct}%。",
    "在委员走访调研的{n}个单位和家庭中，有{pct}%表示对现状不满意。",
    "有关部门座谈时也承认，这一问题已持续多年，尚未找到有效办法。",
)
IMPACTS = (
    "问题虽小，却关系千家万户，群众的意见比较集中。",
    "这些问题在其他区县也不同程度存在，具有一定普遍性。",
    "如果任其发展，可能引发新的矛盾，影响社会稳定。",
    "基层干部和群众对此反映较多，希望得到重视。",
)
CAUSE_TAILS = (
    "，相关政策落实打了折扣",
    "，部门之间各管一段、合力不足",
    "，基层反映多年仍未根本解决",
    "",
    "",
)
SUGGESTION_TAILS = (
    "，明确牵头部门和完成时限",
    "，并定期向社会公开进展情况",
    "，形成可复制可推广的经验",
    "，所需资金纳入年度财政预算",
    "，先行试点、逐步推开",
    "",
)
TITLE_FORMS = (
    "关于{phrase}的建议",
    "关于{phrase}的建议",
    "关于{place}{phrase}的建议",
    "关于解决{place}{topic}问题的建议",
    "关于{topic}工作中存在的问题及建议",
    "关于{phrase}的几点建议",
    "关于{place}{topic}存在问题及对策建议",
)
CLOSERS = (
    "这一问题如不及时解决，将直接影响群众的获得感和满意度。",
    "群众对此期盼较高，希望有关部门尽快拿出切实可行的办法。",
    "",
)
CAUSE_INTROS = ("造成上述问题的原因主要有：", "究其原因，主要有以下几个方面：", "分析原因：")
SUGGESTION_INTROS = ("为此建议：", "对此，提出如下建议：", "建议：")


def pick_place(rng: random.Random) -> str:
    district = rng.choice(DISTRICTS)
    roll = rng.random()
    if roll < 0.25:
        return "我市"
    if roll < 0.45:
        return f"{district}{rng.choice(STREETS)}街道"
    return district


def _fill(rng: random.Random, sentence: str, place: str, year: int, topic: str = "") -> str:
    return sentence.format(
        place=place,
        topic=topic,
        n=rng.choice((26, 38, 57, 85, 120, 160, 240, 360, 520, 870, 1300, 2600)),
        pct=rng.randint(12, 68),
        year=year,
    )


def _numbered(
    items: list[str], sep: str, tails: tuple[str, ...] = ("",), rng: random.Random | None = None
) -> str:
    # Each tail is used at most once per list, so no clause repeats within a report.
    pool = rng.sample(tails, k=len(tails)) if rng else []
    ends = [pool[i] if i < len(pool) else "" for i in range(len(items))]
    return sep.join(f"{NUMERALS[i]}是{item.rstrip('。')}{ends[i]}" for i, item in enumerate(items))


def write_report(rng: random.Random, topic: Topic, year: int) -> dict[str, str]:
    """Return title, situation, analysis and suggestions for one report on ``topic``."""
    place = pick_place(rng)
    form = rng.choice(TITLE_FORMS)
    short_place = "" if place == "我市" else place.removesuffix("街道")
    title = form.format(phrase=rng.choice(topic.titles), place=short_place, topic=topic.name)
    facts = rng.sample(topic.facts, k=len(topic.facts))
    facts += rng.sample(EXTRA_FACTS, k=rng.randint(1, 2))
    situation = "".join(
        [
            _fill(rng, rng.choice(OPENERS), place, year, topic.name),
            *(_fill(rng, f, place, year) for f in facts),
            rng.choice(IMPACTS) if rng.random() < 0.6 else "",
            rng.choice(CLOSERS),
        ]
    )
    causes = rng.sample(topic.causes, k=len(topic.causes))
    analysis = rng.choice(CAUSE_INTROS) + _numbered(causes, "；", CAUSE_TAILS, rng) + "。"
    suggestions = rng.sample(topic.suggestions, k=rng.randint(3, len(topic.suggestions)))
    numbered = _numbered(suggestions, "。\n", SUGGESTION_TAILS, rng)
    return {
        "title": title[:200],
        "situation": situation,
        "analysis": analysis,
        "suggestions": rng.choice(SUGGESTION_INTROS) + "\n" + numbered + "。",
    }


def office_edit(rng: random.Random, fields: dict[str, str], topic: Topic) -> dict[str, str]:
    """The editor's polish: a tighter title and the closing sentence dropped."""
    edited = dict(fields)
    phrase = rng.choice(topic.titles)
    edited["title"] = f"关于{phrase}的建议"
    if edited["title"] == fields["title"]:
        edited["title"] = f"关于{phrase}的几点建议"
    for closer in CLOSERS:
        if closer and edited["situation"].endswith(closer):
            edited["situation"] = edited["situation"].removesuffix(closer)
    edited["analysis"] = edited["analysis"].replace("主要有以下几个方面", "主要有")
    return edited


def author_revision(rng: random.Random, fields: dict[str, str], year: int) -> dict[str, str]:
    """The authors' answer to a return: more facts and a sharper suggestion."""
    revised = dict(fields)
    extra = _fill(rng, rng.choice(EXTRA_FACTS), pick_place(rng), year)
    revised["situation"] = fields["situation"] + extra
    revised["suggestions"] = (
        fields["suggestions"] + "\n同时建议由牵头部门明确时间表，年内见到实效。"
    )
    return revised


def condense(fields: dict[str, str]) -> dict[str, str]:
    """The editor's cut of a composite: all the facts, the first analysis and suggestions."""
    condensed = dict(fields)
    condensed["analysis"] = fields["analysis"].split("\n\n")[0]
    condensed["suggestions"] = fields["suggestions"].split("\n\n")[0]
    return condensed
