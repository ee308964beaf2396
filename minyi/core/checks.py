"""System checks: refuse to run in production mode with development defaults."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

from minyi.settings import DEFAULT_SECRET_KEY


def production_problems() -> list[checks.CheckMessage]:
    if settings.MODE != "production":
        return []
    errors: list[checks.CheckMessage] = []
    if settings.SECRET_KEY == DEFAULT_SECRET_KEY:
        errors.append(
            checks.Error(
                "生产模式不得使用默认密钥：请设置 MINYI_SECRET_KEY 或 MINYI_SECRET_KEY_FILE。",
                id="minyi.E001",
            )
        )
    if settings.DEBUG:
        errors.append(
            checks.Error("生产模式必须关闭调试：请设置 MINYI_DEBUG=false。", id="minyi.E002")
        )
    return errors


@checks.register(checks.Tags.security)
def check_production_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    return production_problems()
