"""Production refuses to run with the second factor switched off for staff."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register


@register()
def second_factor_in_production(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    if getattr(settings, "MODE", "") == "production" and not settings.MINYI_REQUIRE_2FA:
        return [
            Error(
                "生产模式下不能关闭工作人员的两步验证（MINYI_REQUIRE_2FA）。",
                hint="删除 MINYI_REQUIRE_2FA 或设为 true。",
                id="minyi.accounts.E001",
            )
        ]
    return []
