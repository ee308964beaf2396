"""Streaming real-text corpus for the search benchmarks, seeded.

Reports are recombined from the ~9,900 real petition-board messages in
``../shared/data/teddy2020/`` (``hot_messages.csv``, ``replies.csv``,
``messages_labeled.csv``), so word frequencies and co-occurrences are those of real
reports, not of random characters (where BM25 scores mostly tie):

- a report takes a real message's title and its sentences in order, then paragraphs
  (runs of consecutive sentences) of other real messages until it reaches a length
  drawn around the app's ~800 characters;
- the anonymised places (A市, A3区, A7县 …) become city, district and county names drawn
  per report, and every number is redrawn (years stay in 2015–2025), so the same
  sentence recurs in different places and with different figures, as it does in an
  archive;
- about ``dup_rate`` of the reports are lightly edited copies of recent ones (the
  planted near-duplicates of the near-duplicate benchmark).

Queries are real words and phrases of the corpus chosen by how many reports hold them
(``pick_queries``): rare, medium and common words, two-character words, place names,
pairs and quoted phrases. It yields reports one by one and keeps only a window of recent
texts, so a 1M-report run never holds the corpus in memory.
"""

from __future__ import annotations

import csv
import random
import re
from collections import Counter, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "teddy2020"
WINDOW = 20_000
#: Two-character place stems: cities, districts and counties the anonymised codes become.
PLACE_STEMS = [
    "青石", "红星", "白沙", "东湖", "西山", "南岭", "北港", "金桥", "银河", "翠竹",
    "云溪", "枫林", "桃源", "梅岭", "石门", "清水", "龙泉", "凤凰", "望城", "雨花",
    "芙蓉", "天心", "开福", "岳麓", "浏阳", "宁乡", "湘阴", "汨罗", "韶山", "醴陵",
]  # fmt: skip
_CODE = re.compile(r"[A-Z]\d*(?:市|区|县)")
_NUMBER = re.compile(r"\d+")
_YEAR = re.compile(r"(?:19|20)\d\d(?=年)")
_SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;\n]*")


@dataclass(frozen=True)
class Doc:
    index: int
    title: str
    body: str
    source: int | None  # for a planted near-duplicate: the index of the report it copies


@dataclass(frozen=True)
class Message:
    title: str
    sentences: tuple[str, ...]


def _read(name: str, title: str, body: str) -> list[tuple[str, str]]:
    with (DATA / name).open(encoding="utf-8") as handle:
        return [(row.get(title, "") if title else "", row[body]) for row in csv.DictReader(handle)]


@cache
def messages() -> tuple[Message, ...]:
    """The real messages, deduplicated, split into sentences (titles where known)."""
    rows = _read("hot_messages.csv", "留言主题", "留言详情")
    rows += _read("replies.csv", "留言主题", "留言详情")
    # The labelled file holds title and text run together: its sentences, no title.
    rows += _read("messages_labeled.csv", "", "留言文本")
    seen: set[str] = set()
    found = []
    for title, body in rows:
        body = body.strip()
        if len(body) < 20 or body in seen:
            continue
        seen.add(body)
        sentences = tuple(s.strip() for s in _SENTENCE.findall(body) if s.strip())
        found.append(Message(title.strip(), sentences))
    return tuple(found)


def _varier(rng: random.Random) -> Callable[[str], str]:
    """Return a function that gives this report its own places and numbers."""
    places: dict[str, str] = {}

    def place(match: re.Match[str]) -> str:
        code = match.group()
        if code not in places:
            places[code] = rng.choice(PLACE_STEMS) + code[-1]
        return places[code]

    def number(match: re.Match[str]) -> str:
        digits = match.group()
        if len(digits) == 1:
            return str(rng.randrange(1, 10))
        return str(rng.randrange(10 ** (len(digits) - 1), 10 ** len(digits)))

    def vary(text: str) -> str:
        text = _YEAR.sub(lambda _: str(rng.randrange(2015, 2026)), text)
        text = _NUMBER.sub(number, text)
        return _CODE.sub(place, text)

    return vary


def _compose(
    rng: random.Random, pool: tuple[Message, ...], titled: list[Message]
) -> tuple[str, str]:
    """One report: a real message's title and sentences, then other messages' paragraphs."""
    first = rng.choice(titled)
    target = max(200, int(rng.gauss(800, 250)))
    paragraphs = ["".join(first.sentences)]
    size = len(paragraphs[0])
    while size < target:
        other = rng.choice(pool).sentences
        start = rng.randrange(len(other))
        run = "".join(other[start : start + rng.randrange(2, 6)])
        paragraphs.append(run)
        size += len(run)
    vary = _varier(rng)
    return vary(first.title), vary("\n".join(paragraphs))[: int(target * 1.2)]


def iter_corpus(n: int, seed: int = 42, dup_rate: float = 0.01) -> Iterator[Doc]:
    """Yield n reports; about ``dup_rate`` of them are lightly edited copies of recent ones."""
    rng = random.Random(seed)
    pool = messages()
    titled = [m for m in pool if m.title]
    recent: deque[tuple[int, str, str]] = deque(maxlen=WINDOW)
    for index in range(n):
        if recent and rng.random() < dup_rate:
            src, title, body = recent[rng.randrange(len(recent))]
            chars = list(body)
            for _ in range(max(1, len(chars) // 80)):  # ~1% substitutions: J stays >= 0.85
                chars[rng.randrange(len(chars))] = rng.choice("的了是在有")
            yield Doc(index, title, "".join(chars), src)
            continue
        title, body = _compose(rng, pool, titled)
        recent.append((index, title, body))
        yield Doc(index, title, body, None)


#: Share of reports holding a word, per frequency band of the queries.
BANDS = {"common": (0.05, 0.35), "medium": (0.005, 0.02), "rare": (0.0004, 0.0015)}
_CJK = re.compile(r"^[\u4e00-\u9fff]+$")


def pick_queries(sample: int = 4000, seed: int = 42) -> list[dict[str, object]]:
    """Real words and phrases of the corpus at several frequencies, with their share.

    Drawn from the first ``sample`` reports of ``iter_corpus(seed)``: four words per band
    (two of them two-character words), two place names, two pairs and four quoted
    phrases (adjacent words seen in medium-frequency reports). Deterministic.
    """
    from minyi.search.terms import clean_terms

    docs = [d for d in iter_corpus(sample, seed=seed) if d.source is None]
    words: Counter[str] = Counter()
    bigrams: Counter[tuple[str, str]] = Counter()
    for doc in docs:
        terms = clean_terms(doc.title + "\n" + doc.body)
        words.update(set(terms))
        bigrams.update(set(zip(terms, terms[1:], strict=False)))
    total = len(docs)
    rng = random.Random(seed)
    queries: list[dict[str, object]] = []

    def add(kind: str, text: str, share: float) -> None:
        queries.append({"query": text, "kind": kind, "sample_share": round(share, 5)})

    def pick(candidates: list[str], k: int) -> list[str]:
        return rng.sample(sorted(candidates), min(k, len(candidates)))

    chosen: dict[str, list[str]] = {}
    for band, (low, high) in BANDS.items():
        fit = [w for w, c in words.items() if low <= c / total <= high and _CJK.match(w)]
        two = pick([w for w in fit if len(w) == 2], 2)
        longer = pick([w for w in fit if len(w) >= 3], 2)
        chosen[band] = two + longer
        for w in chosen[band]:
            add(band, w, words[w] / total)
    places = [s + u for s in PLACE_STEMS for u in "区县"]
    for w in pick([p for p in places if words[p] / total >= 0.005], 2):
        add("place", w, words[w] / total)
    for a, b in zip(chosen["common"][:2], chosen["medium"][:2], strict=True):
        both = sum(1 for d in docs if a in d.title + d.body and b in d.title + d.body)
        add("pair", f"{a} {b}", both / total)
    fit = [p for p, c in bigrams.items() if 0.003 <= c / total <= 0.03
           and all(_CJK.match(w) and len(w) >= 2 for w in p)]  # fmt: skip
    for a, b in rng.sample(sorted(fit), min(4, len(fit))):
        add("phrase", f'"{a}{b}"', bigrams[(a, b)] / total)
    return queries
