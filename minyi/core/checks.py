"""System checks: refuse to run in production mode with development defaults."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.core.checks.security.base import (
    SECRET_KEY_INSECURE_PREFIX,
    SECRET_KEY_MIN_LENGTH,
    SECRET_KEY_MIN_UNIQUE_CHARACTERS,
)

from minyi.settings import DEFAULT_SECRET_KEY


def weak_secret(key: str) -> bool:
    """Django's own bar for ``check --deploy``: 50 characters, 5 distinct, no insecure prefix."""
    return (
        len(key) < SECRET_KEY_MIN_LENGTH
        or len(set(key)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS
        or key.startswith(SECRET_KEY_INSECURE_PREFIX)
    )


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
    elif weak_secret(settings.SECRET_KEY):
        # A short or repetitive key can be guessed, and with it every session and signed link.
        errors.append(
            checks.Error(
                f"生产模式的密钥太弱：至少 {SECRET_KEY_MIN_LENGTH} 个字符、"
                f"{SECRET_KEY_MIN_UNIQUE_CHARACTERS} 种以上不同字符的随机串。"
                "可用 python -c 'import secrets; print(secrets.token_urlsafe(50))' 生成。",
                id="minyi.E003",
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
