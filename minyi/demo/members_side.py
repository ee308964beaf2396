"""Demo: the members' side — two terms with a 换届, appointed officers, a topic guide and
commissions in every state (待答复、已接受、已婉拒、已交稿、已撤销).

Run by ``load_demo`` after the story's year is replayed: the actions write their events
at the end of the log, so the chain stays in time order. The earlier term and its 换届
are history (membership rows with their dates), as a roster import would bring them.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from minyi.audit.consumers import drain_all
from minyi.core import clock
from minyi.duties.actions import (
    do_answer,
    do_cancel,
    do_commission,
    do_link_report,
    do_save_topic,
)
from minyi.duties.terms import do_appoint, do_remove
from minyi.people.models import Member, Term, User
from minyi.people.terms import TermMembership
from minyi.reports.actions import do_create_report, do_submit
from minyi.reports.models import Category

TOPICS = [
    (
        "社区嵌入式养老服务设施建设",
        "我市 60 岁以上老年人口占比已超过 21%，社区养老床位和助餐点分布不均。"
        "请围绕设施选址、运营补贴、专业护理人员等方面反映情况、提出建议。",
        "市民政局、市卫健委、市自然资源和规划局",
        "民生保障",
    ),
    (
        "优化营商环境中的涉企审批",
        "部分企业反映审批事项多头办理、材料重复提交。请反映具体案例并提出可操作的改进建议。",
        "市发改委、市市场监管局、市行政审批局",
        "经济发展",
    ),
    (
        "中小学课后服务质量",
        "课后服务覆盖面扩大后，师资、经费和内容质量问题显现。",
        "市教育局、市财政局",
        "教育文化",
    ),
]


def _category(name: str) -> Category | None:
    return Category.objects.filter(name=name, parent__isnull=True).first()


def seed_members_side() -> None:
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["member", "officer", "editor", "admin"])
    }
    if len(users) < 4:
        return
    today = clock.localdate()
    with transaction.atomic():
        _terms(today)
        _officers(users, today)
        topics = _topics(users["editor"], today)
        _commissions(users, topics, today)
    drain_all(force=True)  # deliveries and notices, as the worker's next tick would


def _terms(today: dt.date) -> None:
    """第十一届 (closed at the 换届) and the current term; most members continued."""
    current = Term.objects.filter(current=True).first()
    if current is None:
        return
    previous = Term.objects.create(
        name="第十一届", start_year=current.start_year - 5, end_year=current.start_year
    )
    changed = dt.date(current.start_year, 1, 10)
    # Six members who wrote nothing this term did not continue at the 换届: they served in
    # the previous term only and are kept, no longer active (the seed's headcount stays).
    leaving = set(
        Member.objects.filter(
            term=current, user__isnull=True, is_information_officer=False, authorships__isnull=True
        )
        .order_by("-id")
        .values_list("pk", flat=True)[:6]
    )
    members = list(Member.objects.filter(term=current).order_by("id"))
    TermMembership.objects.bulk_create(
        TermMembership(term=current, member=m, joined_on=changed, note="连任" if n % 4 else "新任")
        for n, m in enumerate(members)
        if m.pk not in leaving
    )
    TermMembership.objects.bulk_create(
        TermMembership(
            term=previous,
            member=m,
            joined_on=dt.date(previous.start_year, 1, 12),
            left_on=changed - dt.timedelta(days=1),
            note="换届离任" if m.pk in leaving else "",
        )
        for n, m in enumerate(members)
        if n % 4 or m.pk in leaving
    )
    Member.objects.filter(pk__in=leaving).update(active=False, term=previous)


def _officers(users: dict[str, User], today: dt.date) -> None:
    """Every flagged officer holds an appointment; one served part of the year and was removed."""
    current = Term.objects.filter(current=True).first()
    start = dt.date(current.start_year, 2, 20) if current else today.replace(month=1, day=5)
    officers = list(Member.objects.filter(is_information_officer=True).order_by("id"))
    # The appointment action sets the flag again: the flag follows the appointments.
    Member.objects.filter(pk__in=[m.pk for m in officers]).update(is_information_officer=False)
    for n, member in enumerate(officers, start=1):
        do_appoint(
            users["admin"], member, appointed_on=start, letter=f"市政协办〔{start.year}〕{n}号"
        )
    leaving = (
        Member.objects.filter(active=True, is_information_officer=False)
        .exclude(user__username="member")
        .order_by("-id")
        .first()
    )
    if leaving is not None and today.month > 2:
        appointment = do_appoint(
            users["admin"],
            leaving,
            appointed_on=today.replace(month=1, day=5),
            letter=f"市政协办〔{today.year}〕2号",
        )
        do_remove(
            users["admin"],
            appointment,
            removed_on=today.replace(month=2, day=1),
            letter=f"市政协办〔{today.year}〕15号",
            reason="工作调动，不再担任特约信息员",
        )


def _topics(editor: User, today: dt.date) -> list:
    topics = [
        do_save_topic(
            editor,
            None,
            fields={
                "title": title,
                "background": background,
                "departments": departments,
                "category": _category(category),
                "opens_on": today - dt.timedelta(days=20),
                "closes_on": today + dt.timedelta(days=40),
            },
            published=True,
        )
        for title, background, departments, category in TOPICS
    ]
    do_save_topic(
        editor,
        None,
        fields={
            "title": "城市更新中的历史街区保护（草拟中）",
            "opens_on": today + dt.timedelta(days=30),
            "closes_on": today + dt.timedelta(days=90),
        },
        published=False,
    )
    return topics


def _commissions(users: dict[str, User], topics: list, today: dt.date) -> None:
    editor, member, officer = users["editor"], users["member"], users["officer"]
    due = today + dt.timedelta(days=14)
    # 待答复: the demo member is asked about elderly care and has not answered yet.
    do_commission(
        editor, topics[0], members=[member.member], due_on=due, request="请结合所在社区的调研撰写。"
    )
    # 已婉拒: the officer declines with a reason.
    [declined] = do_commission(editor, topics[1], members=[officer.member], due_on=due)
    do_answer(declined, officer, "decline", "近期在外地参加培训，无法按期完成，请谅解。")
    # 已交稿: the demo member accepted the business topic and delivered a report.
    [delivered] = do_commission(editor, topics[1], members=[member.member], due_on=due)
    do_answer(delivered, member, "accept")
    report = do_create_report(
        member,
        fields={
            "title": "关于压减涉企审批重复材料的建议",
            "situation": "企业办理项目审批需向多个部门重复提交营业执照、法人身份证明等材料。",
            "analysis": "部门间数据共享不足，电子证照互认范围有限。",
            "suggestions": "一、建立涉企材料“一次提交、多方复用”机制；二、扩大电子证照互认范围。",
        },
        authors=[member.member],
        submitting_unit=member.member.organizations.first(),
        category=topics[1].category,
        topic=topics[1],
    )
    do_link_report(delivered, report, member)
    do_submit(report, member)
    # 已撤销: the office withdrew one commission; 已接受: the officer is writing, due soon.
    [cancelled] = do_commission(editor, topics[2], members=[member.member], due_on=due)
    do_cancel(cancelled, editor, "选题调整，改由教育界别集中约稿。")
    [accepted_own] = do_commission(
        editor, topics[2], members=[officer.member], due_on=today + dt.timedelta(days=3)
    )
    do_answer(accepted_own, officer, "accept")
