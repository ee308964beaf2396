"""An archive row's 状态 and outcome columns, checked: every problem names its column in Chinese."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from minyi.core import clock
from minyi.outcomes.models import AdoptionKind, InstructionLevel, Recipient
from minyi.reports.models import State

#: The words an archive uses for a report's fate, and the state each one means. 已采用 is a
#: report that went out (已编发) and was adopted: the adoption is the outcome columns' record.
STATE_WORDS: dict[str, str] = {
    "已编发": State.PUBLISHED,
    "编发": State.PUBLISHED,
    "已刊发": State.PUBLISHED,
    "已采用": State.PUBLISHED,
    "采用": State.PUBLISHED,
    "已直报": State.SENT_DIRECTLY,
    "直报": State.SENT_DIRECTLY,
    "不予采用": State.DECLINED,
    "未采用": State.DECLINED,
    "不采用": State.DECLINED,
}
#: The states an archive row may end in (the default the upload form offers).
ARCHIVE_STATES = (State.PUBLISHED, State.SENT_DIRECTLY, State.DECLINED)
ADOPTED_WORDS = frozenset({"已采用", "采用"})
ADOPTION_KINDS = {label: value for value, label in AdoptionKind.choices}
INSTRUCTION_LEVELS = {label: value for value, label in InstructionLevel.choices} | {
    "中央": InstructionLevel.NATIONAL,
    "全国": InstructionLevel.NATIONAL,
    "省": InstructionLevel.PROVINCIAL,
    "市": InstructionLevel.MUNICIPAL,
    "区县": InstructionLevel.COUNTY,
    "县级": InstructionLevel.COUNTY,
}
OUTCOME_KEYS = (
    "recipient",
    "adoption_kind",
    "carrier",
    "adopted_on",
    "instruction_level",
    "leader",
    "instruction_text",
    "instructed_on",
)


def parse_date(text: str) -> dt.date | None:
    """报送日期 as people type it: 2024-03-05, 2024/3/5, 2024.3.5, 2024年3月5日, 20240305."""
    digits = re.findall(r"\d+", text)
    if len(digits) == 1 and len(digits[0]) == 8:
        digits = [digits[0][:4], digits[0][4:6], digits[0][6:]]
    if len(digits) < 3:
        raise ValueError(text)
    return dt.date(int(digits[0]), int(digits[1]), int(digits[2]))


def resolve_state(text: str, default: str, problems: list[str]) -> str:
    """The row's state from the 状态 column, else the upload's default; never a live state."""
    if not text:
        if default in ARCHIVE_STATES:
            return default
        problems.append("“状态”列：缺少状态（已编发、已采用、已直报或不予采用）")
        return ""
    state = STATE_WORDS.get(text)
    if state is None:
        problems.append(f"“状态”列：无法识别“{text}”，应为已编发、已采用、已直报或不予采用")
        return ""
    return state


def _day(values: dict[str, str], key: str, label: str, problems: list[str]) -> str | None:
    text = values.get(key, "")
    if not text:
        return None
    try:
        day = parse_date(text)
    except ValueError:
        problems.append(f"“{label}”列：“{text}”无法识别")
        return None
    if day > clock.localdate():
        problems.append(f"“{label}”列：{day.isoformat()} 晚于今天")
        return None
    return day.isoformat()


def recipients_by_name() -> dict[str, int]:
    return dict(Recipient.objects.values_list("name", "pk"))


def resolve_outcome(
    values: dict[str, str],
    date: str | None,
    state: str,
    problems: list[str],
    recipients: dict[str, int],
) -> dict[str, Any]:
    """The row's adoption and 批示, as ids and ISO dates; ``{}`` when the row has none."""
    given = {k: values.get(k, "") for k in OUTCOME_KEYS}
    adopted_word = values.get("state", "") in ADOPTED_WORDS
    if not any(given.values()):
        if adopted_word:
            problems.append("“采用单位”列：状态为“已采用”时须写明采用单位")
        return {}
    if state == State.DECLINED:
        problems.append("“状态”列：不予采用的信息不能有采用或批示记录")
        return {}
    recipient_id = None
    if not given["recipient"]:
        problems.append("“采用单位”列：有采用或批示记录时须写明采用单位")
    else:
        recipient_id = recipients.get(given["recipient"])
        if recipient_id is None:
            problems.append(f"“采用单位”列：未知报送对象“{given['recipient']}”")
    kind = AdoptionKind.SINGLE.value
    if given["adoption_kind"]:
        kind = ADOPTION_KINDS.get(given["adoption_kind"], "")
        if not kind:
            problems.append(
                f"“采用类型”列：无法识别“{given['adoption_kind']}”，应为单篇采用、综合采用或转送"
            )
    adopted_on = _day(values, "adopted_on", "采用日期", problems) or date
    if adopted_on and date and adopted_on < date:
        problems.append("“采用日期”列：采用日期早于报送日期")
    outcome = {
        "recipient_id": recipient_id,
        "adoption_kind": kind,
        "carrier": given["carrier"][:100],
        "adopted_on": adopted_on,
    }
    outcome.update(_instruction(values, given, adopted_on, problems))
    return outcome


def _instruction(
    values: dict[str, str], given: dict[str, str], adopted_on: str | None, problems: list[str]
) -> dict[str, Any]:
    parts = ("instruction_level", "leader", "instruction_text", "instructed_on")
    if not any(given[k] for k in parts):
        return {}
    level = INSTRUCTION_LEVELS.get(given["instruction_level"], "")
    if not given["instruction_level"]:
        problems.append("“批示级别”列：有批示时须写明批示级别")
    elif not level:
        problems.append(f"“批示级别”列：无法识别“{given['instruction_level']}”")
    if not given["leader"]:
        problems.append("“批示领导”列：有批示时须写明批示领导")
    elif len(given["leader"]) > 50:
        problems.append("“批示领导”列：超过 50 字")
    if not given["instruction_text"]:
        problems.append("“批示内容”列：有批示时须写明批示内容")
    day = _day(values, "instructed_on", "批示日期", problems) or adopted_on
    return {
        "instruction_level": level,
        "leader": given["leader"],
        "instruction_text": given["instruction_text"],
        "instructed_on": day,
    }
