"""Template context shared by every page: the navigation this user may use."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from minyi.desk.todos import todos_for
from minyi.people.models import Role

#: (url name, label, roles that see it). Order is the order in the menu.
NAVIGATION: list[tuple[str, str, frozenset[str]]] = [
    ("reports:mine", "我的信息", frozenset({Role.MEMBER, Role.LIAISON, Role.INFORMATION_OFFICER})),
    ("reports:new", "撰写信息", frozenset({Role.MEMBER, Role.LIAISON, Role.INFORMATION_OFFICER})),
    ("office:triage", "稿件处理", frozenset({Role.EDITOR})),
    ("deadlines:overdue", "超期督办", frozenset({Role.EDITOR, Role.APPROVER, Role.ADMIN})),
    ("deadlines:unit", "办理时限", frozenset({Role.LIAISON})),
    ("bulletins:list", "刊物编排", frozenset({Role.EDITOR})),
    ("outcomes:pending", "采用登记", frozenset({Role.EDITOR})),
    ("office:sign_off_queue", "待我签发", frozenset({Role.APPROVER})),
    ("bulletins:reader", "刊物阅览", frozenset({Role.LEADER, Role.APPROVER})),
    (
        "insights:dashboard",
        "统计分析",
        frozenset({Role.LEADER, Role.EDITOR, Role.APPROVER, Role.ADMIN}),
    ),
    ("insights:hot_topics", "热点难点", frozenset({Role.EDITOR, Role.LEADER})),
    ("exchange:reports_import", "历史信息导入", frozenset({Role.EDITOR})),
    ("exchange:roster_import", "名册导入", frozenset({Role.ADMIN})),
    ("scoring:mine", "我的履职积分", frozenset({Role.MEMBER, Role.INFORMATION_OFFICER})),
    (
        "scoring:rankings",
        "排名",
        frozenset({Role.EDITOR, Role.APPROVER, Role.ADMIN, Role.LEADER, Role.LIAISON}),
    ),
    (
        "topics:list",
        "选题约稿",
        frozenset({Role.EDITOR, Role.APPROVER, Role.ADMIN, Role.LEADER}),
    ),
    (
        "scoring:campaigns",
        "信息活动",
        frozenset({Role.EDITOR, Role.ADMIN, Role.LEADER, Role.LIAISON}),
    ),
    (
        "scoring:notices",
        "年度通报",
        frozenset({Role.EDITOR, Role.APPROVER, Role.ADMIN, Role.LEADER}),
    ),
    ("members:mine", "我的履职档案", frozenset({Role.MEMBER, Role.INFORMATION_OFFICER})),
    ("members:records", "履职档案", frozenset({Role.EDITOR, Role.APPROVER, Role.ADMIN})),
    ("members:officers", "特约信息员", frozenset({Role.EDITOR, Role.ADMIN})),
    ("members:terms", "届次换届", frozenset({Role.ADMIN})),
    ("scoring:rules", "积分规则", frozenset({Role.ADMIN})),
    ("scoring:objections", "积分申诉", frozenset({Role.ADMIN})),
    ("search:results", "检索", frozenset(Role.values)),
    ("notify:background", "后台任务", frozenset({Role.ADMIN})),
    ("accounts:security", "登录安全", frozenset({Role.ADMIN})),
    ("insights:audit", "审计日志", frozenset({Role.ADMIN})),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    context: dict[str, Any] = {"host_name": settings.HOST_NAME}
    if user is None or not user.is_authenticated:
        return context
    context["nav_items"] = [
        (name, label) for name, label, roles in NAVIGATION if user.has_role(*roles)
    ]
    context["unread_count"] = user.notifications.unread().count()
    context["todos"] = todos_for(user)
    return context
