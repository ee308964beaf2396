"""A published topic and commissions in a given state, made through the actions."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from minyi.duties.actions import do_answer, do_commission, do_save_topic
from minyi.duties.models import Commission
from minyi.reports.models import Topic


def make_topic(cast, *, published: bool = True, title: str = "社区嵌入式养老服务") -> Topic:
    today = timezone.localdate()
    return do_save_topic(
        cast.editor,
        None,
        fields={
            "title": title,
            "background": "我市老龄化加快，社区养老设施不足。",
            "departments": "市民政局、市卫健委",
            "category": cast.category,
            "opens_on": today - dt.timedelta(days=5),
            "closes_on": today + dt.timedelta(days=30),
        },
        published=published,
    )


def make_commission(cast, *, state: str = "offered", user=None, topic=None) -> Commission:
    user = user or cast.member
    topic = topic or make_topic(cast)
    [commission] = do_commission(
        cast.editor,
        topic,
        members=[user.member],
        due_on=timezone.localdate() + dt.timedelta(days=10),
        request="请结合调研写一篇。",
    )
    if state == "accepted":
        do_answer(commission, user, "accept")
    elif state == "declined":
        do_answer(commission, user, "decline", "近期出差，无法按期完成。")
    return commission
