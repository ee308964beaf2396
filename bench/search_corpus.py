"""Streaming synthetic corpus for the search benchmarks: ~823-character reports, seeded.

Unlike ``textlab_corpus.make_corpus`` it yields reports one by one and keeps only a
window of recent texts (the sources of planted near-duplicates), so a 1M-report run
never holds the whole corpus in memory.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate

from textlab_corpus import CHARS, PLACES, TOPICS, UNITS

#: Words the queries look for. Each report contains word i with probability
#: ``WORD_SHARE[i]``, from one report in five down to one in fifty, the way a common and a
#: rare matter are spread through a real archive. (Sprinkling every word into 8% of all
#: word slots put each of them in ~60% of the reports: no query is ever that broad.)
QUERY_WORDS = [
    "养老", "医保", "电梯", "噪音", "学位", "停车位", "粉尘", "报销", "公交", "垃圾",
    "补贴", "食堂", "路灯", "油烟", "校车", "积水", "拒载", "排队", "学费", "护理",
]  # fmt: skip
WORD_SHARE = [0.2 * 0.1 ** (i / (len(QUERY_WORDS) - 1)) for i in range(len(QUERY_WORDS))]
QUERIES = [
    *QUERY_WORDS,
    "养老 护理",
    "电梯 审批",
    '"加装电梯审批难"',
    "医保 报销",
    "停车位 不足",
    '"夜间施工噪音"',
    "红星小区",
    "公交 线路",
]
WINDOW = 20_000


@dataclass(frozen=True)
class Doc:
    index: int
    title: str
    body: str
    source: int | None  # for a planted near-duplicate: the index of the report it copies


def _filler(rng: random.Random, size: int) -> list[str]:
    """Return random 2–3 character words of about ``size`` characters with their commas.

    Drawn in two bulk ``choices`` calls: one call per word made the generator cost more
    than the ingest it feeds.
    """
    lengths = rng.choices((2, 3), k=size // 3 + 1)
    chars = "".join(rng.choices(CHARS, k=sum(lengths)))
    ends = list(accumulate(lengths))
    return [chars[end - n : end] for end, n in zip(ends, lengths, strict=True)]


def _body(rng: random.Random, place: str, issue: str, length: int) -> str:
    head = f"{place}{issue}，已有{rng.randrange(2, 500)}人联名反映。"
    parts = _filler(rng, length - len(head))
    for word, share in zip(QUERY_WORDS, WORD_SHARE, strict=True):
        if rng.random() < share:
            # In the first three quarters, so cutting the body to length keeps it.
            parts.insert(rng.randrange(len(parts) * 3 // 4), word)
    return (head + "，".join(parts))[:length] + "。"


def iter_corpus(n: int, seed: int = 42, dup_rate: float = 0.01, length: int = 800) -> Iterator[Doc]:
    """Yield n reports; about ``dup_rate`` of them are lightly edited copies of recent ones."""
    rng = random.Random(seed)
    recent: deque[tuple[int, str, str]] = deque(maxlen=WINDOW)
    labels = sorted(TOPICS)
    for index in range(n):
        if recent and rng.random() < dup_rate:
            src, title, body = recent[rng.randrange(len(recent))]
            chars = list(body)
            for _ in range(max(1, len(chars) // 80)):  # ~1% substitutions: J stays >= 0.85
                chars[rng.randrange(len(chars))] = rng.choice("的了是在有")
            yield Doc(index, title, "".join(chars), src)
            continue
        issue = rng.choice(TOPICS[rng.choice(labels)])
        place = rng.choice(PLACES) + rng.choice(UNITS)
        title = f"关于{place}{issue}的建议"
        body = _body(rng, place, issue, length)
        recent.append((index, title, body))
        yield Doc(index, title, body, None)
