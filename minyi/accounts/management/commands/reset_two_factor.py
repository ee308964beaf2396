"""Reset a user's two-step verification from the server, when no other admin can do it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from minyi.accounts.twofactor import do_reset_second_factor
from minyi.people.models import User


class Command(BaseCommand):
    help = "重置用户的两步验证（删除身份验证器和恢复码，结束其会话），记一条 otp_reset 事件。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="要重置的用户名")
        parser.add_argument(
            "--by", required=True, help="执行重置的系统管理员的用户名（记为操作人）"
        )

    def handle(self, *args: Any, username: str, by: str, **options: Any) -> None:
        user = User.objects.filter(username=username).first()
        actor = User.objects.filter(username=by).first()
        if user is None:
            raise CommandError(f"用户“{username}”不存在。")
        if actor is None or not actor.has_role("admin"):
            raise CommandError(f"“{by}”不是系统管理员，不能重置两步验证。")
        removed = do_reset_second_factor(actor, user)
        self.stdout.write(f"已重置“{user}”的两步验证（删除 {removed} 个设备），其登录会话已结束。")
