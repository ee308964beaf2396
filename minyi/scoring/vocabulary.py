"""The level words scoring shares: which levels there are, how high each is, what each is called.

Recipients (采用) and leaders' instructions (批示) both have levels; their codes
overlap (``national``, ``provincial``, ``municipal``), so one table serves both.
"""

from __future__ import annotations

from minyi.outcomes.models import InstructionLevel, RecipientLevel

#: How high a level is: the rule set's 优秀信息 threshold names the lowest level that counts.
LEVEL_RANK = {"national": 4, "provincial": 3, "municipal": 2, "department": 1, "county": 1}
#: Every level's name; where a code is both, the instruction's name (中央/全国) is used.
#: ``reversed`` is projection.REVERSED: the level of a row that takes back earlier points.
LEVEL_LABELS = {
    **dict(RecipientLevel.choices),
    **dict(InstructionLevel.choices),
    "reversed": "撤销",
}
#: Recipients' levels, highest first: the columns adoptions are counted in.
ADOPTION_LEVELS = ("national", "provincial", "municipal", "department")


def level_label(level: str) -> str:
    return LEVEL_LABELS.get(level, level)
