"""Who is held to the staff rules: second factor, longer passwords, shorter idle sessions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings

from minyi.people.models import Role

#: Roles that see the office's work or run the system: 2FA required, passwords ≥ 10,
#: sessions end after the staff idle time. Members, officers and liaisons may opt in to 2FA.
STAFF_ROLES = frozenset({Role.EDITOR, Role.APPROVER, Role.LEADER, Role.ADMIN})


def is_staff_account(user: Any) -> bool:
    """A staff role, or a Django staff flag (which opens the admin site)."""
    return bool(getattr(user, "is_staff", False)) or user.has_role(*STAFF_ROLES)


def second_factor_required(user: Any) -> bool:
    return settings.MINYI_REQUIRE_2FA and is_staff_account(user)


def idle_timeout(user: Any) -> dt.timedelta:
    minutes = (
        settings.MINYI_SESSION_IDLE_STAFF_MINUTES
        if is_staff_account(user)
        else settings.MINYI_SESSION_IDLE_MEMBER_MINUTES
    )
    return dt.timedelta(minutes=minutes)
