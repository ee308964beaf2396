"""Deterministic synthetic 社情民意 corpus for the textlab benchmarks (seeded, no real data)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

PLACES = ["青石", "红星", "白沙", "东湖", "西山", "南岭", "北港", "金桥", "银河", "翠竹"]
UNITS = ["小区", "社区", "村", "街道", "镇", "学校", "医院", "菜市场", "公园", "工业园"]
TOPICS = {
    "城乡建设": ["加装电梯审批难", "道路坑洼积水", "违章建筑占道", "路灯长期不亮", "排水管网堵塞"],
    "教育文体": ["学位不足入学难", "违规补课收费", "校车安全隐患", "食堂饭菜质量差"],
    "卫生计生": ["看病排队时间长", "医保报销手续繁", "乡村医生待遇低", "药品价格偏高"],
    "环境保护": ["搅拌站粉尘污染", "餐馆油烟扰民", "夜间施工噪音", "河道垃圾漂浮"],
    "交通运输": ["公交线路调整不便", "红绿灯设置不合理", "出租车拒载绕路", "停车位严重不足"],
}
# Common characters; bodies are random phrases of them so unrelated reports stay
# dissimilar (shared boilerplate would make every report a near-duplicate candidate).
CHARS = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下"
    "过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体"
    "制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数"
)


@dataclass(frozen=True)
class Report:
    id: str
    title: str
    body: str
    label: str
    time: datetime
    author: str


def make_corpus(n: int, seed: int = 42, dup_rate: float = 0.02) -> tuple[list[Report], set]:
    """Return n reports and the set of planted near-duplicate id pairs (edited copies)."""
    rng = random.Random(seed)
    start = datetime(2024, 1, 1)
    reports: list[Report] = []
    planted: set[tuple[str, str]] = set()
    labels = sorted(TOPICS)
    while len(reports) < n:
        if reports and rng.random() < dup_rate:
            src = reports[rng.randrange(len(reports))]
            body = list(src.body)
            for _ in range(max(1, len(body) // 60)):  # ~2% substitutions: J stays >= 0.8
                body[rng.randrange(len(body))] = rng.choice("的了是在有")
            rid = f"r{len(reports)}"
            reports.append(Report(rid, src.title, "".join(body), src.label, src.time, "dup"))
            planted.add((src.id, rid))
            continue
        label = rng.choice(labels)
        issue = rng.choice(TOPICS[label])
        place = rng.choice(PLACES) + rng.choice(UNITS)
        detail = f"{place}{issue}，编号{rng.randrange(10**6)}，已有{rng.randrange(2, 500)}人联名。"
        words = ["".join(rng.choices(CHARS, k=rng.randrange(2, 4))) for _ in range(60)]
        body = detail + "，".join(words) + "。"
        when = start + timedelta(minutes=rng.randrange(60 * 24 * 365))
        reports.append(Report(f"r{len(reports)}", f"关于{place}{issue}的问题", body, label, when,
                              f"u{rng.randrange(n // 3 + 1)}"))  # fmt: skip
    return reports, planted
