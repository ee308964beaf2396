"""Accounts' background job: clear the rows of sessions that ended by themselves, daily.

Imported by ``AccountsConfig.ready()``, which registers it as a periodic job.
"""

from __future__ import annotations

from minyi.accounts.sessions import clear_ended_sessions
from minyi.core.jobs import daily_at, job, register_periodic


@job
def clear_sessions() -> int:
    return clear_ended_sessions()


register_periodic("clear_sessions", "清理过期会话", clear_sessions, daily_at("04:30"), "每天 04:30")
