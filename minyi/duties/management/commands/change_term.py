"""manage.py change_term NAME START_YEAR END_YEAR --starts-on DATE [--leaving ID,ID…]: 换届.

Every member serving in the current term continues, except those listed by ``--leaving``
(member ids): their old membership closes the day before, they are no longer active, and
nothing of their history is deleted. The office page (/members/terms/) does the same.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from minyi.audit.statemachine import ActionRefused
from minyi.duties.terms import do_change_term, term_members
from minyi.people.models import Term


class Command(BaseCommand):
    help = "换届：新建一届，留任委员转入新一届，其余委员的任职在换届前一天结束（历史保留）。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("name", help="新一届名称，如 第十五届")
        parser.add_argument("start_year", type=int)
        parser.add_argument("end_year", type=int)
        parser.add_argument("--starts-on", required=True, help="换届日期 YYYY-MM-DD")
        parser.add_argument("--leaving", default="", help="不再留任的委员编号，逗号分隔")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            starts_on = dt.date.fromisoformat(opts["starts_on"])
            leaving = {int(x) for x in opts["leaving"].split(",") if x.strip()}
        except ValueError as exc:
            raise CommandError(f"参数格式不正确：{exc}") from exc
        current = Term.objects.filter(current=True).first()
        serving = term_members(current) if current else []
        unknown = leaving - {m.pk for m in serving}
        if unknown:
            raise CommandError(f"这些编号不是本届在任委员：{sorted(unknown)}")
        try:
            term = do_change_term(
                None,
                name=opts["name"],
                start_year=opts["start_year"],
                end_year=opts["end_year"],
                starts_on=starts_on,
                continuing={m.pk for m in serving} - leaving,
            )
        except ActionRefused as exc:
            raise CommandError(str(exc)) from exc
        kept = len(serving) - len(leaving)
        self.stdout.write(f"已换届为{term.name}：留任 {kept} 人，离任 {len(leaving)} 人。")
