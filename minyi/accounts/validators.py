"""Password rules that depend on who the password is for."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

from minyi.accounts.policy import is_staff_account


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's minimum length, with its message in Chinese.

    Django 5.2 reworded this message and its zh-hans catalogue has not caught up,
    so the stock validator answers in English.
    """

    def get_error_message(self) -> str:
        return f"密码太短，至少需要 {self.min_length} 个字符。"

    def get_help_text(self) -> str:
        return f"密码至少需要 {self.min_length} 个字符。"


class StaffMinimumLengthValidator:
    """Staff accounts (editor, approver, leader, admin) need at least ``min_length`` characters.

    Django's ``MinimumLengthValidator`` holds everyone to its own minimum (8); this
    one adds the stricter rule for accounts that see the office's work.
    """

    def __init__(self, min_length: int = 10) -> None:
        self.min_length = min_length

    def validate(self, password: str, user: Any = None) -> None:
        if user is None or getattr(user, "pk", None) is None:
            return
        if len(password) < self.min_length and is_staff_account(user):
            raise ValidationError(
                f"工作人员账号的密码至少需要 {self.min_length} 个字符。",
                code="password_too_short_for_staff",
            )

    def get_help_text(self) -> str:
        roles = "信息编辑、签发人、领导、系统管理员"
        return f"工作人员（{roles}）的密码至少需要 {self.min_length} 个字符。"
