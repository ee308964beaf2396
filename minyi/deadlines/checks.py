"""System check: warn when this year or next has no holiday data (``holidays``).

Registered with the ``database`` tag because it reads the stored overrides: Django runs
it on ``migrate`` (every deployment) and on ``manage.py check --database default``, and
never where there may be no tables yet.
"""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.db import DatabaseError

from minyi.deadlines.holidays import missing_holiday_years, missing_years_message


@checks.register(checks.Tags.database)
def check_holiday_data(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    if not kwargs.get("databases"):
        return []
    try:
        missing = missing_holiday_years()
    except DatabaseError:
        return []  # Not migrated yet: nothing to say about its calendar.
    if not missing:
        return []
    return [
        checks.Warning(
            missing_years_message(missing),
            hint="系统管理员首页 →“节假日通知录入”：粘贴国务院办公厅的节假日安排通知后保存。",
            id="deadlines.W001",
        )
    ]
