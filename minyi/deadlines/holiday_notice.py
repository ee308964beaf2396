"""Read the State Council's holiday notice (国务院办公厅关于某年部分节假日安排的通知).

Pure text in, days out: no Django, so it is tested on the real notices by itself. Two
ways of writing are accepted, line by line, and may be mixed:

- one line per holiday or 调休 day or range, e.g. ``2027-02-06 至 2027-02-13 放假 春节`` or
  ``2月20日 上班 春节调休``;
- the notice's own wording, pasted: ``一、元旦：1月1日（周五）放假，与周末连休。二、春节：
  2月15日（农历腊月二十八）至23日（农历正月初七）放假调休，共9天。2月14日（周日）、2月28日
  （周六）上班。`` Each numbered item names the holiday; a clause with 放假 gives the days
  off, a clause with 上班 the make-up working days; parenthesised weekdays and lunar dates
  are read only to warn when a weekday does not match its date; ``共N天`` is checked
  against the range before it.

The notice's own boilerplate is passed over silently (``BOILERPLATE``): the title, the
文号 (``国办发明电〔2026〕7号``), the salutation, the opening "…通知如下" and closing
"节假日期间…" paragraphs, and the signature (``国务院办公厅`` and a date line such as
``2026年11月10日``). Any other line without an arrangement is passed over with a
warning. A line that looks like an arrangement (a numbered item, a 放假/上班/调休 word,
or bare dates) but cannot be read is an error naming the line, and the caller stores
nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

WEEKDAYS = "一二三四五六日"
#: A full date: 2027-01-01, 2027年1月1日 or 1月1日 (the notice's year).
_DATE = (
    r"(?:(?P<iy>\d{4})[-/.](?P<im>\d{1,2})[-/.](?P<id>\d{1,2})"
    r"|(?:(?P<y>\d{4})年)?(?P<m>\d{1,2})月(?P<d>\d{1,2})日)"
)
#: The end of a range may leave out year and month: 2月15日至23日.
_END = (
    r"(?:(?P<eiy>\d{4})[-/.](?P<eim>\d{1,2})[-/.](?P<eid>\d{1,2})"
    r"|(?:(?:(?P<ey>\d{4})年)?(?P<em>\d{1,2})月)?(?P<ed>\d{1,2})日)"
)
_RANGE_SEP = r"\s*(?:至|到|~|～|—|－|–)\s*"
DATE_OR_RANGE = re.compile(rf"{_DATE}(?:{_RANGE_SEP}{_END})?")
ITEM_START = re.compile(r"(?:^|(?<=[。；;\s]))([一二三四五六七八九十]+)[、.．]")
PAREN = re.compile(r"[（(]([^）)]*)[）)]")
TOTAL = re.compile(r"共\s*(\d+)\s*天")
WEEKDAY_NOTE = re.compile(r"(?:星期|周)([一二三四五六日天])")
OFF_WORDS = ("放假", "休息", "休假")
WORK_WORDS = ("上班", "补班")
#: Words that make a line look like an arrangement even when it cannot be read.
ARRANGEMENT_WORDS = (*OFF_WORDS, *WORK_WORDS, "调休")
#: The notice's standard lines around its items: recognised and passed over without a word.
BOILERPLATE = tuple(
    re.compile(pattern)
    for pattern in (
        r"^.{0,30}关于.*(?:节假日|放假).*的?通知$",  # the title
        r"^[\u4e00-\u9fff]{1,10}[〔［\[（(]\d{4}[〕］\]）)]\d{1,4}号$",  # 文号
        r"^各.{0,60}[：:]$",  # salutation: 各省、自治区、直辖市人民政府，…：
        r"通知如下[。：:]?$",  # opening: 经国务院批准，现将…通知如下。
        r"^节假日期间",  # closing: 节假日期间，各地区、各部门要妥善安排…
        r"^[\u4e00-\u9fff]{2,20}(?:办公厅|人民政府|办公室)$",  # the issuing office
        r"^[〇零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日$",
        r"^[（(]此件.{0,10}[）)]$",  # （此件公开发布）
    )
)
#: The signature's date line, "2026年11月10日", the one boilerplate line with a date.
DATE_LINE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")
#: Prose around a date ("本通知自2026年11月10日起施行") has at least this many other characters.
PROSE_CHARS = 6


class NoticeError(ValueError):
    """A line that cannot be read; the message names the line, in Chinese."""


@dataclass(frozen=True)
class NoticeDay:
    day: dt.date
    is_working_day: bool
    name: str  # the holiday it belongs to (元旦、春节…), "" when the line gives none
    line: int

    @property
    def label(self) -> str:
        return "上班（调休）" if self.is_working_day else "放假"

    @property
    def weekday(self) -> str:
        return f"周{WEEKDAYS[self.day.weekday()]}"


@dataclass
class ParsedNotice:
    days: list[NoticeDay] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def years(self) -> list[int]:
        return sorted({d.day.year for d in self.days})


def parse_notice(text: str, year: int) -> ParsedNotice:
    """Every day the text names, in date order; ``errors`` lists each unreadable line."""
    result = ParsedNotice()
    found: dict[dt.date, NoticeDay] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or is_boilerplate(line):
            continue
        try:
            if _carries_no_arrangement(line):
                result.warnings.append(
                    f"第{number}行不是放假或上班的安排，已略过：{line.strip()[:30]}"
                )
                continue
            days = _line_days(line, number, year, result.warnings)
            if not days:
                # The notice's heading and closing lines carry no dates: passed over, said so.
                result.warnings.append(f"第{number}行没有日期，已略过：{line.strip()[:30]}")
            for day in days:
                _keep(found, day)
        except NoticeError as exc:
            result.errors.append(str(exc))
    if not found and not result.errors:
        result.errors.append(
            "没有读到任何日期：请每行写一个放假或上班的日期（或日期范围），或粘贴通知原文。"
        )
    result.days = sorted(found.values(), key=lambda d: d.day)
    return result


def is_boilerplate(line: str) -> bool:
    """The title, 文号, salutation, opening/closing paragraph or signature of the notice."""
    text = re.sub(r"\s+", "", line)
    if DATE_LINE.match(text):
        return True
    # A line with a date or a numbered item may carry an arrangement: it is always read.
    if DATE_OR_RANGE.search(text) or ITEM_START.search(text):
        return False
    return any(pattern.search(text) for pattern in BOILERPLATE)


def _carries_no_arrangement(line: str) -> bool:
    """A signature date line, or prose naming a date without 放假/上班, outside numbered items.

    Only lines with dates are judged here (lines without any are passed over later); a
    line with an arrangement word or a numbered item is always read, so that a broken
    arrangement is refused rather than skipped.
    """
    text = line.strip()
    if ITEM_START.match(text) or any(w in text for w in ARRANGEMENT_WORDS):
        return False
    bare = PAREN.sub("", text)
    dates = list(DATE_OR_RANGE.finditer(bare))
    if not dates:
        return False
    rest = re.sub(r"[\W\d_]", "", DATE_OR_RANGE.sub("", bare))
    one = dates[0]
    signature = len(dates) == 1 and not rest and one.group("y") and not one.group("ed")
    return bool(signature) or len(rest) >= PROSE_CHARS


def _keep(found: dict[dt.date, NoticeDay], day: NoticeDay) -> None:
    earlier = found.get(day.day)
    if earlier and earlier.is_working_day != day.is_working_day:
        raise NoticeError(
            f"第{day.line}行：{_md(day.day)}在第{earlier.line}行是{earlier.label}，"
            f"这里又是{day.label}，请核对。"
        )
    found.setdefault(day.day, day)


def _md(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _line_days(line: str, number: int, year: int, warnings: list[str]) -> list[NoticeDay]:
    """The days of one line: its numbered items, or the line as one item."""
    bounds = sorted({0, *(m.start() for m in ITEM_START.finditer(line)), len(line)})
    days: list[NoticeDay] = []
    for start, end in zip(bounds, bounds[1:], strict=False):
        if piece := line[start:end].strip():
            days += _item_days(piece, number, year, warnings)
    return days


def _item_days(item: str, number: int, year: int, warnings: list[str]) -> list[NoticeDay]:
    """One holiday's text: "二、春节：2月15日…放假调休，共9天。2月14日…上班。".

    A numbered item must give a date wherever it says 放假 or 上班; prose outside the
    items ("现将…放假调休日期的具体安排通知如下") gives none and is passed over.
    """
    numbered = bool(ITEM_START.match(item))
    item = ITEM_START.sub("", item, count=1).strip()
    name = ""
    if m := re.match(r"^([^：:\d]{1,12})[：:]", item):
        name, item = m.group(1).strip(), item[m.end() :]
    days: list[NoticeDay] = []
    last_off: list[dt.date] = []
    for clause in re.split(r"[。；;，,\n]", item):
        clause = clause.strip()
        if not clause:
            continue
        if total := TOTAL.search(PAREN.sub("", clause)):
            _check_total(int(total.group(1)), last_off, number, name)
        dates = _clause_dates(clause, number, year, warnings)
        if not dates:
            if numbered and any(w in clause for w in OFF_WORDS + WORK_WORDS):
                raise NoticeError(
                    f"第{number}行：“{clause}”没有可识别的日期，如“1月1日”或“2027-01-01”。"
                )
            continue
        working = _clause_kind(clause, number, name)
        if not working:
            last_off = dates
        label = name or _trailing_name(clause)
        days += [NoticeDay(d, working, label, number) for d in dates]
    return days


def _trailing_name(clause: str) -> str:
    """A plain line's note after the keyword: "2027-02-06 放假 春节" → "春节"."""
    for word in OFF_WORDS + WORK_WORDS:
        if word in clause:
            return clause.split(word, 1)[1].strip(" 　调休")[:20]
    return ""


def _clause_kind(clause: str, number: int, name: str) -> bool:
    """True for a make-up working day, False for days off; refuses a clause saying neither."""
    off = any(w in clause for w in OFF_WORDS)
    work = any(w in clause for w in WORK_WORDS)
    if off == work:
        what = "既写了放假又写了上班" if off else "没有写明放假还是上班"
        where = f"“{name}”" if name else ""
        raise NoticeError(f"第{number}行{where}：“{clause}”{what}，请分开写或补上。")
    return work


def _check_total(total: int, last_off: list[dt.date], number: int, name: str) -> None:
    if last_off and total != len(last_off):
        raise NoticeError(
            f"第{number}行“{name}”：写的是共{total}天，"
            f"但{_md(last_off[0])}至{_md(last_off[-1])}是{len(last_off)}天，请核对。"
        )


def _clause_dates(clause: str, number: int, year: int, warnings: list[str]) -> list[dt.date]:
    """Every day a clause names; parenthesised weekdays are checked, not read as dates."""
    notes = [m.group(1) for m in PAREN.finditer(clause)]
    bare = PAREN.sub(" ", clause)
    days: list[dt.date] = []
    for match in DATE_OR_RANGE.finditer(bare):
        start = _date(match, "", year, number)
        if match.group("ed") or match.group("eid"):
            end = _end_date(match, start, number)
            if end < start:
                raise NoticeError(f"第{number}行：{_md(start)}至{_md(end)}，结束早于开始。")
            if (end - start).days > 31:
                raise NoticeError(f"第{number}行：{_md(start)}至{_md(end)}超过一个月，请核对。")
            span = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
        else:
            span = [start]
        days += span
    _check_weekdays(days, notes, number, warnings)
    return days


def _date(match: re.Match[str], prefix: str, year: int, number: int) -> dt.date:
    g = match.group
    y = g(f"{prefix}iy") or g(f"{prefix}y") or year
    m = g(f"{prefix}im") or g(f"{prefix}m")
    d = g(f"{prefix}id") or g(f"{prefix}d")
    return _valid(int(y), int(m), int(d), number, year)


def _end_date(match: re.Match[str], start: dt.date, number: int) -> dt.date:
    g = match.group
    if g("eid"):
        return _valid(int(g("eiy")), int(g("eim")), int(g("eid")), number, start.year)
    y = int(g("ey") or start.year)
    m = int(g("em") or start.month)
    return _valid(y, m, int(g("ed")), number, start.year)


def _valid(y: int, m: int, d: int, number: int, year: int) -> dt.date:
    try:
        day = dt.date(y, m, d)
    except ValueError:
        raise NoticeError(f"第{number}行：{y}年{m}月{d}日不是有效日期。") from None
    if abs(day.year - year) > 1:
        raise NoticeError(f"第{number}行：{_md(day)}与通知年份{year}年相差太远，请核对。")
    return day


def _check_weekdays(days: list[dt.date], notes: list[str], number: int, out: list[str]) -> None:
    """A "（周五）" after a date that is not a Friday: worth a warning, not a refusal."""
    said = [m.group(1) for n in notes if (m := WEEKDAY_NOTE.search(n))]
    if not said or not days:
        return
    # One note per single date, or one each after the start and the end of a range.
    dated = days if len(said) == len(days) else [days[0], days[-1]][: len(said)]
    for day, note in zip(dated, said, strict=False):
        actual = WEEKDAYS[day.weekday()]
        if note.replace("天", "日") != actual:
            out.append(
                f"第{number}行：{_md(day)}是周{actual}，原文括注为周{note}，请核对年份与日期。"
            )
