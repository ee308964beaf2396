"""及时性 for the writing assistant: how old is the event a draft reports?

A draft is stale when the newest time it gives for the *event* is long past and nothing
says the matter is still current. Times are read in every form members write them: full
dates ("2024年7月12日"), a year with or without a season ("2018年汛期", "2022年"),
relative ones ("去年夏天", "前年", "三年前", "上个月") and a month of this year ("5月下旬").
Each is placed at the END of the period it names, so a vague time never looks older than
it can be. Not events, and so not judged: statistics "as of" a date (截至…, current
data when under a year old), comparisons (同比、去年同期), the date a document came out
(2019年出台的《办法》) or something was built (铺设于1998年), and dates still ahead.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = [
    "AS_OF_CURRENT",
    "STALE_AFTER",
    "Mention",
    "recent_days",
    "stale_mention",
    "time_mentions",
]

#: An event older than this, with nothing saying it is still current, is stale.
STALE_AFTER = timedelta(days=90)
#: Statistics "as of" a date are current data while younger than this.
AS_OF_CURRENT = timedelta(days=365)

_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9, "十": 10, "几": 2, "多": 2, "数": 2}  # fmt: skip
# Last month of a named period ("汛期" ends in September); None = the whole year.
_PERIOD_END = {
    "年初": 2, "初": 2, "春节": 2, "寒假": 2, "春天": 5, "春季": 5, "春": 5, "上半年": 6,
    "夏天": 8, "夏季": 8, "夏": 8, "暑期": 8, "暑假": 8, "汛期": 9, "秋天": 11, "秋季": 11,
    "秋": 11, "下半年": 12, "冬天": 12, "冬季": 12, "冬": 12, "年底": 12, "年末": 12,
    "底": 12, "末": 12,
}  # fmt: skip
_PERIOD = "|".join(sorted(_PERIOD_END, key=len, reverse=True))
_RELATIVE_YEAR = {"今年": 0, "去年": 1, "上年": 1, "前年": 2, "大前年": 3}
_MONTH_DAY = r"(?:(?P<month>\d{1,2})\s*月(?:\s*份)?(?:\s*(?P<day>\d{1,2})\s*[日号])?)"
_MENTION = re.compile(
    r"(?P<year>(?:19|20)\d{2})\s*年\s*(?:" + _MONTH_DAY + r"|(?P<period>" + _PERIOD + r"))?"
    r"|(?P<numeric>(?:19|20)\d{2})[-/.](?P<nmonth>\d{1,2})(?:[-/.](?P<nday>\d{1,2}))?"
    r"|(?P<rel>大前年|前年|去年|上年|今年)\s*(?:"
    + _MONTH_DAY.replace("?P<month>", "?P<rmonth>").replace("?P<day>", "?P<rday>")
    + r"|(?P<rperiod>"
    + _PERIOD
    + r"))?"
    r"|(?P<ago>\d+|[一二两三四五六七八九十几多数]+)\s*多?\s*年前"
    r"|(?P<lastmonth>上个?月)"
    r"|(?<![\d年至到\-~～])(?P<bmonth>\d{1,2})\s*月(?:\s*份)?(?:\s*(?P<bday>\d{1,2})\s*[日号])?"
)
_AS_OF_BEFORE = re.compile(r"(截至|截止到?|到)\s*$")
# A year's tally ("去年全年", "2024年共……") is a statistic, not the event.
_TALLY_AFTER = re.compile(r"^\s*(全年|年度|一年|共|累计|全年共)")
_COMPARISON = re.compile(r"(同期|同比|相比|比较|较|比)\s*$")
_COMPARISON_AFTER = re.compile(r"^\s*(同期|同比|相比)")
_BACKGROUND_BEFORE = re.compile(r"(建于|建成于|铺设于|修建于|始建于|成立于|出生于|当年|于)\s*$")
_BACKGROUND_AFTER = re.compile(
    r"^[^，。；]{0,8}(出台|印发|颁布|发布|施行|实施的|修订|通过的|《)|^[^，。；]{0,3}(前|之前)"
)
_SINCE_AFTER = re.compile(r"^\s*(?:[上中下]旬|底|初|末)?\s*(以来|起|开始|至今|到现在|至今仍)")
# Words saying the matter is happening now, whatever dates stand elsewhere in the draft.
# Not "仍然/依然": inside a story of 2022 they mean "still, back then".
_CURRENT = re.compile(
    r"近日|日前|近期|近来|最近|目前|当前|眼下|现在|至今|本月|本周|上周|"
    r"这几天|近几天|连日来|今天|今日|今晨|昨天|昨日|昨晚|正在|正值|临近|本学期|今年以来"
)


@dataclass(frozen=True)
class Mention:
    """A time given in the text: when it ends, its span, and what kind of time it is."""

    when: date
    start: int
    end: int
    kind: str  # "event", "as_of", "since", "background"
    exact_day: bool = False  # "9月3日", not "9月" or "去年"


def _month_end(year: int, month: int) -> date:
    month = min(max(month, 1), 12)
    return date(year, month, calendar.monthrange(year, month)[1])


def _number(token: str) -> int:
    if token.isdigit():
        return int(token)
    if token.startswith("十"):
        return 10 + _CN_DIGITS.get(token[1:2], 0)
    if "十" in token:
        head, _, tail = token.partition("十")
        return _CN_DIGITS.get(head, 1) * 10 + _CN_DIGITS.get(tail, 0)
    return _CN_DIGITS.get(token[:1], 2)


def _day_or_end(year: int, month: int, day: str | None) -> date:
    end = _month_end(year, month)
    if day and 1 <= int(day) <= end.day:
        return date(year, end.month, int(day))
    return end


def _period_or_year(year: int, period: str | None) -> date:
    return _month_end(year, _PERIOD_END[period]) if period else date(year, 12, 31)


def _when(m: re.Match[str], today: date) -> date | None:
    g = m.groupdict()
    if g["year"]:
        year = int(g["year"])
        return (
            _day_or_end(year, int(g["month"]), g["day"])
            if g["month"]
            else _period_or_year(year, g["period"])
        )
    if g["numeric"]:
        return _day_or_end(int(g["numeric"]), int(g["nmonth"]), g["nday"])
    if g["rel"]:
        year = today.year - _RELATIVE_YEAR[g["rel"]]
        if g["rmonth"]:
            return _day_or_end(year, int(g["rmonth"]), g["rday"])
        return _period_or_year(year, g["rperiod"])
    if g["ago"]:
        return date(today.year - _number(g["ago"]), 12, 31)
    if g["lastmonth"]:
        return today.replace(day=1) - timedelta(days=1)
    month = int(g["bmonth"])
    if not 1 <= month <= 12:
        return None
    # A bare month is this year's, or last year's when this year's is still ahead.
    year = today.year if month <= today.month else today.year - 1
    return _day_or_end(year, month, g["bday"])


def _kind(text: str, m: re.Match[str]) -> str:
    before, after = text[max(0, m.start() - 4) : m.start()], text[m.end() : m.end() + 12]
    if _AS_OF_BEFORE.search(before) or _TALLY_AFTER.match(after):
        return "as_of"
    if _SINCE_AFTER.match(after):
        return "since"
    if (
        _COMPARISON.search(before)
        or _COMPARISON_AFTER.match(after)
        or _BACKGROUND_BEFORE.search(before)
        or _BACKGROUND_AFTER.match(after)
    ):
        return "background"
    return "event"


_CN_YEAR = re.compile(r"[〇零○一二三四五六七八九]{4}(?=\s*年)")
_CN_MONTH = re.compile(r"(?<![一二三四五六七八九十])(十[一二]|[一二三四五六七八九])(?=\s*月)")
_CN_DIGIT = str.maketrans("〇零○一二三四五六七八九", "00012345678" + "9")


def _arabic(text: str) -> str:
    """ "二〇一八年五月" → "2018年5月", keeping every character where it was (same length)."""
    text = _CN_YEAR.sub(lambda m: m.group(0).translate(_CN_DIGIT), text)
    return _CN_MONTH.sub(lambda m: str(10 + _CN_DIGITS[m.group(1)[1]]) if len(m.group(1)) == 2
                         else str(_CN_DIGITS[m.group(1)]), text)  # fmt: skip


def time_mentions(text: str, today: date) -> list[Mention]:
    """Every time named in ``text``, placed at the end of the period it names."""
    text = _arabic(text)  # official style may write dates in Chinese numerals
    out = []
    for m in _MENTION.finditer(text):
        try:
            when = _when(m, today)
        except ValueError:
            continue
        if when is not None:
            day = any(m.group(g) for g in ("day", "rday", "nday", "bday"))
            out.append(Mention(when, m.start(), m.end(), _kind(text, m), day))
    return out


def _is_current(mention: Mention, today: date) -> bool:
    if mention.kind == "since":
        return True
    if mention.kind == "as_of":
        return today - mention.when <= AS_OF_CURRENT
    return mention.kind == "event" and today - mention.when <= STALE_AFTER


def stale_mention(text: str, today: date) -> Mention | None:
    """The newest event time when the event is long past and nothing says it is current.

    ``text`` is what reports the event (the title and the situation), not the analysis,
    where older history explains causes ("管道铺设于1998年").
    """
    mentions = time_mentions(text, today)
    if _CURRENT.search(text) or any(_is_current(m, today) for m in mentions):
        return None
    events = [m for m in mentions if m.kind == "event"]
    if not events:
        return None
    latest = max(events, key=lambda m: m.when)
    return latest if today - latest.when > STALE_AFTER else None


def recent_days(text: str, today: date, days: int = 2) -> list[tuple[int, int]]:
    """Spans of exact days at most ``days`` before ``today`` ("9月3日" on 5 September)."""
    return [
        (m.start, m.end)
        for m in time_mentions(text, today)
        if m.kind == "event" and m.exact_day and 0 <= (today - m.when).days <= days
    ]
