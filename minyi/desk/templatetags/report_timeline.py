"""The status timeline (办理过程) of a report, as shown to one viewer.

``{% for entry in events|timeline_for:user %}`` turns audit events into
labelled entries. It lives in a filter, not a view, so that every page that
includes ``reports/_timeline.html`` (member pages, the office workbench) gets
the same wording and the same hiding rules.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django import template
from django.urls import reverse

from minyi.audit.models import Event
from minyi.audit.verbs import VERB_LABELS, Verb
from minyi.reports.access import visible_reports
from minyi.reports.models import State

register = template.Library()

#: Office housekeeping that authors and leaders need not see.
OFFICE_ONLY_VERBS = frozenset({"claim", "release", "take_over", "chase"})

LABELS = VERB_LABELS


@dataclass
class Entry:
    event: Event
    label: str
    details: list[str] = field(default_factory=list)
    note: str = ""
    link_url: str = ""
    link_text: str = ""


def _label(event: Event) -> str:
    p = event.payload
    if event.verb == "submit" and p.get("from") == State.WITHDRAWN:
        return "重新报送"
    if event.verb == "merge" and p.get("duplicate"):
        return "并入（重复信息）"
    if event.verb == "edit" and not p.get("by_office"):
        return "作者修改"
    if event.verb == "forward" and p.get("recipient"):
        return f"报送{p['recipient']}"
    return LABELS.get(event.verb, event.verb)


def _parts(*pairs: tuple[str, Any]) -> list[str]:
    return [f"{name}：{value}" for name, value in pairs if value]


def _screened(payload: dict[str, Any]) -> str:
    """The 十报十不报 items ticked at triage, as one line."""
    return "；".join(str(item.get("text", "")) for item in payload.get("screening") or [])


def _no_details(payload: dict[str, Any]) -> list[str]:
    return []


DETAILS: dict[Verb, Callable[[dict[str, Any]], list[str]]] = {
    Verb.DECLINE: lambda p: _parts(("原因", p.get("reason")), ("核对", _screened(p))),
    Verb.ACCEPT: lambda p: _parts(("核对", _screened(p))),
    Verb.EDIT: lambda p: _parts(("版本", f"第 {p['revision']} 版" if p.get("revision") else "")),
    Verb.SIGN_OFF: lambda p: _parts(("签发意见", p.get("opinion"))),
    Verb.PUBLISH: lambda p: _parts(("刊物", p.get("issue"))),
    Verb.UNPUBLISH: lambda p: _parts(("作废期次", p.get("issue")), ("理由", p.get("note"))),
    Verb.RECALL: lambda p: _parts(("报送对象", p.get("recipient")), ("作废期次", p.get("issue"))),
    Verb.FORWARD: lambda p: _parts(("所在期", p.get("issue"))),
    Verb.ADOPT: lambda p: _parts(
        ("采用单位", p.get("recipient")),
        ("采用类型", p.get("kind")),
        ("采用载体", p.get("carrier")),
    ),
    Verb.NOT_ADOPTED: lambda p: _parts(("报送对象", p.get("recipient")), ("原因", p.get("reason"))),
    Verb.CHASE: lambda p: _parts(("报送对象", p.get("recipient")), ("已等待", p.get("waiting"))),
    Verb.TAKE_OVER: lambda p: _parts(("原认领人", p.get("previous"))),
    Verb.INSTRUCT: lambda p: _parts(
        ("批示领导", p.get("leader")),
        ("批示级别", p.get("level")),
        ("报送对象", p.get("recipient")),
    ),
    Verb.RECATEGORIZE: lambda p: _parts(("调整", p.get("note"))),
    Verb.MARK_CONFIDENTIALITY: lambda p: _parts(("密级", p.get("change"))),
    Verb.ATTACH: lambda p: _parts(("文件", p.get("name"))),
    Verb.REMOVE_ATTACHMENT: lambda p: _parts(("文件", p.get("name"))),
    Verb.COMPOSE: lambda p: _parts(("来源稿件", f"{len(p.get('sources', []))} 篇")),
}


def _entry(event: Event, links: dict[int, str]) -> Entry:
    p = event.payload or {}
    entry = Entry(event=event, label=_label(event), details=DETAILS.get(event.verb, _no_details)(p))
    # Recategorize keeps its summary in "note"; everything else's note is the handler's words.
    # 撤回编发 already shows its note as 理由 among the details.
    if event.verb not in ("recategorize", "unpublish"):
        entry.note = str(p.get("note") or "")
    target = p.get("into")
    if event.verb == "merge" and target:
        entry.link_text = f"并入《{p.get('into_title') or target}》"
        entry.link_url = links.get(int(target), "")
    return entry


@register.filter
def timeline_for(events: Iterable[Event], user: Any) -> list[Entry]:
    """Label each event for this viewer, hiding office housekeeping from others."""
    is_office = bool(getattr(user, "is_office", False))
    shown = [e for e in events if is_office or e.verb not in OFFICE_ONLY_VERBS]
    targets = {int(e.payload["into"]) for e in shown if e.verb == "merge" and e.payload.get("into")}
    links: dict[int, str] = {}
    if targets and getattr(user, "is_authenticated", False):
        visible = visible_reports(user).filter(pk__in=targets).values_list("pk", flat=True)
        links = {pk: reverse("reports:detail", args=[pk]) for pk in visible}
    return [_entry(e, links) for e in shown]
