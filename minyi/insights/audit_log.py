"""The admins' audit page (审计日志): the event log filtered by who, what, which object, when, IP.

Events are read newest first by id (the primary key, so a page is an indexed
``LIMIT/OFFSET`` and never the whole log). What an event says about a report
follows the report access rule: the admin sees who did what to which report
number, but a report's title and the event's content only when the admin may
read that report (a member's draft stays its author's, here too).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils import timezone

from minyi.audit.models import Event
from minyi.audit.verbs import NOTIFICATION_ONLY, Verb, verb_label
from minyi.core.fields import BoundedDateField
from minyi.core.http import InvalidIds, check_ids
from minyi.insights.audit_labels import describe_payload, object_label
from minyi.people.models import User
from minyi.reports.access import visible_reports

if TYPE_CHECKING:
    from minyi.reports.models import Report

#: The groups of the page's "what" filter (动作类别), in their order.
GROUPS: dict[str, str] = {
    "access": "登录与访问",
    "reports": "稿件",
    "bulletins": "刊物",
    "outcomes": "报送与采用",
    "scoring": "积分",
    "members": "选题约稿与委员履职",
    "exchange": "导入导出",
}

#: Every verb and its group on the audit page (None: notifications only, never on record).
#: Listed one by one: a new verb must be placed here (tests/audit/test_verbs.py).
VERB_GROUP: dict[Verb, str | None] = {
    **dict.fromkeys(
        (
            Verb.LOGIN,
            Verb.LOGIN_FAILED,
            Verb.LOCKOUT,
            Verb.UNLOCK,
            Verb.LOGOUT,
            Verb.LOGOUT_EVERYWHERE,
            Verb.PASSWORD_CHANGE,
            Verb.OTP_ENROL,
            Verb.OTP_RESET,
            Verb.RECOVERY_CODES,
            Verb.RECOVERY_CODE_USED,
            Verb.DOWNLOAD,
        ),
        "access",
    ),
    **dict.fromkeys(
        (
            Verb.CREATE,
            Verb.SUBMIT,
            Verb.RESUBMIT,
            Verb.WITHDRAW,
            Verb.RETURN,
            Verb.ACCEPT,
            Verb.DECLINE,
            Verb.MERGE,
            Verb.COMPOSE,
            Verb.EDIT,
            Verb.EDIT_DETAILS,
            Verb.RECATEGORIZE,
            Verb.MARK_CONFIDENTIALITY,
            Verb.SEND_FOR_SIGN_OFF,
            Verb.SIGN_OFF,
            Verb.REJECT_SIGN_OFF,
            Verb.PUBLISH,
            Verb.UNPUBLISH,
            Verb.SEND_DIRECTLY,
            Verb.CLAIM,
            Verb.RELEASE,
            Verb.TAKE_OVER,
            Verb.ATTACH,
            Verb.REMOVE_ATTACHMENT,
        ),
        "reports",
    ),
    **dict.fromkeys(
        (
            Verb.CREATE_ISSUE,
            Verb.COMPOSE_ISSUE,
            Verb.SEND_ISSUE_FOR_SIGN_OFF,
            Verb.REJECT_ISSUE,
            Verb.SIGN_OFF_ISSUE,
            Verb.APPROVE_ISSUE_STEP,
            Verb.DELETE_ISSUE,
            Verb.CORRECT_ISSUE,
            Verb.VOID_ISSUE,
        ),
        "bulletins",
    ),
    **dict.fromkeys(
        (
            Verb.FORWARD,
            Verb.ADOPT,
            Verb.NOT_ADOPTED,
            Verb.RECALL,
            Verb.INSTRUCT,
            Verb.CHASE,
        ),
        "outcomes",
    ),
    **dict.fromkeys(
        (
            Verb.SCORE_RULES_CHANGE,
            Verb.SCORE_CORRECT,
            Verb.SCORE_OBJECTION,
            Verb.SCORE_OBJECTION_RESOLVE,
            Verb.CAMPAIGN_SAVE,
            Verb.NOTICE_CONFIRM,
            Verb.RATING_REVIEW,
            Verb.NOTICE_PUBLISH,
        ),
        "scoring",
    ),
    **dict.fromkeys(
        (
            Verb.IMPORT_ROSTER,
            Verb.IMPORT_REPORTS,
            Verb.IMPORT_MESSAGE,
            Verb.EXPORT,
            Verb.BACKUP,
        ),
        "exchange",
    ),
    **dict.fromkeys(
        (
            Verb.TOPIC_SAVE,
            Verb.COMMISSION_OFFER,
            Verb.COMMISSION_ACCEPT,
            Verb.COMMISSION_DECLINE,
            Verb.COMMISSION_DELIVER,
            Verb.COMMISSION_UNDELIVER,
            Verb.COMMISSION_CANCEL,
            Verb.TERM_CHANGE,
            Verb.OFFICER_APPOINT,
            Verb.OFFICER_REMOVE,
        ),
        "members",
    ),
    **dict.fromkeys(NOTIFICATION_ONLY, None),
}


def verbs_in(group: str) -> list[str]:
    return [verb.value for verb, found in VERB_GROUP.items() if found == group]


#: Events a page shows; the XLSX export is bounded too (``audit_export``).
PAGE_SIZE = 50
#: Longest text of an event's content shown in a cell.
CONTENT_LIMIT = 300
HIDDEN_CONTENT = "（所涉稿件您无权查看，内容不显示）"


def _verb_choices() -> list[tuple[str, str]]:
    # The label alone (the code stays the option's value); a label two verbs share
    # (报送: submit and forward) is told apart by the verb's group.
    verbs = [v for v in Verb if v not in NOTIFICATION_ONLY]
    shared = _shared(str(v.label) for v in verbs)
    return [("", "全部")] + [
        (v.value, f"{v.label}（{GROUPS[VERB_GROUP[v] or '']}）" if v.label in shared else v.label)
        for v in verbs
    ]


def _shared(labels: Iterable[str]) -> set[str]:
    seen: set[str] = set()
    return {label for label in labels if label in seen or seen.add(label)}


def _object_type_choices() -> list[tuple[str, str]]:
    models = [m for m in apps.get_models() if m.__module__.startswith("minyi.")]
    found = sorted((m._meta.label_lower, str(m._meta.verbose_name), m) for m in models)
    # Two models of one name (报送对象) are told apart by their app's name.
    shared = _shared(name for _, name, _ in found)
    return [("", "全部")] + [
        (label, f"{name}（{model._meta.app_config.verbose_name}）" if name in shared else name)
        for label, name, model in found
    ]


def _local_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class AuditFilterForm(forms.Form):
    who = forms.CharField(label="操作人", required=False, max_length=150)
    group = forms.ChoiceField(label="动作类别", required=False)
    verb = forms.ChoiceField(label="动作", required=False)
    object_type = forms.ChoiceField(label="对象类型", required=False)
    object_id = forms.CharField(label="对象编号", required=False, max_length=40)
    report = forms.CharField(label="相关稿件（编号或流水号）", required=False, max_length=20)
    start = BoundedDateField(
        label="起始日期", required=False, widget=forms.DateInput({"type": "date"})
    )
    end = BoundedDateField(
        label="截止日期", required=False, widget=forms.DateInput({"type": "date"})
    )
    ip = forms.CharField(label="IP 地址（可只填开头）", required=False, max_length=45)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", "全部"), *GROUPS.items()]
        self.fields["verb"].choices = _verb_choices()
        self.fields["object_type"].choices = _object_type_choices()

    def clean_ip(self) -> str:
        ip = self.cleaned_data["ip"].strip()
        if ip and not set(ip) <= set("0123456789abcdefABCDEF:."):
            raise forms.ValidationError("IP 地址只能包含数字、字母 a–f、点和冒号。")
        return ip

    def clean_report(self) -> str:
        return self.cleaned_data["report"].strip()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError("起始日期不能晚于截止日期。")
        return data


def _actors(who: str) -> QuerySet[User]:
    return User.objects.filter(
        Q(username=who) | Q(display_name__icontains=who) | Q(member__name=who)
    ).values("pk")


def _reports(user: User, text: str) -> Q:
    """Events about the report with that id, or with that serial among those the user may see."""
    by_serial = visible_reports(user).filter(serial=text).values("pk")
    found = Q(report_id__in=by_serial)
    try:
        ids = check_ids([text], limit=1)
    except InvalidIds:  # not an id ("²" is a digit to isdigit() but not to int())
        ids = []
    if ids:
        found |= Q(report_id=ids[0])
    return found


def _ip(text: str) -> Q:
    try:
        return Q(ip=str(ipaddress.ip_address(text)))
    except ValueError:
        return Q(ip__startswith=text)


def filter_events(user: User, data: dict[str, Any]) -> QuerySet[Event]:
    """The events matching the form's cleaned ``data``, newest first."""
    events = Event.objects.all()
    if who := (data.get("who") or "").strip():
        events = events.filter(actor__in=_actors(who))
    if group := data.get("group"):
        events = events.filter(verb__in=verbs_in(group))
    if verb := data.get("verb"):
        events = events.filter(verb=verb)
    if object_type := data.get("object_type"):
        events = events.filter(object_type=object_type)
    if object_id := (data.get("object_id") or "").strip():
        events = events.filter(object_id=object_id)
    if report := data.get("report"):
        events = events.filter(_reports(user, report))
    if start := data.get("start"):
        events = events.filter(created_at__gte=_local_start(start))
    if end := data.get("end"):
        events = events.filter(created_at__lt=_local_start(end + dt.timedelta(days=1)))
    if ip := data.get("ip"):
        events = events.filter(_ip(ip))
    return events.order_by("-id")


@dataclass(frozen=True)
class Row:
    """One event as the admin may see it."""

    event: Event
    verb_label: str
    actor: str
    report_title: str  # empty: no report, or one the admin may not read
    content: str
    object_label: str = ""  # "刊物期次 #24": the model's Chinese name and the id

    @property
    def when(self) -> dt.datetime:
        return timezone.localtime(self.event.created_at)


def _actor(event: Event) -> str:
    if event.actor is None:
        return "系统"
    name = str(event.actor)
    username = event.actor.username
    return name if name == username else f"{name}（{username}）"


def _content(payload: dict[str, Any], object_type: str = "") -> str:
    text = describe_payload(payload, object_type)
    return text if len(text) <= CONTENT_LIMIT else f"{text[:CONTENT_LIMIT]}…"


def readable_reports(user: User, events: Iterable[Event]) -> dict[int, Report]:
    ids = {e.report_id for e in events if e.report_id is not None}
    if not ids:
        return {}
    return {r.pk: r for r in visible_reports(user).filter(pk__in=ids).only("pk", "title")}


def rows_for(user: User, events: list[Event]) -> list[Row]:
    """Label a page of events; content of a report the user may not read stays hidden."""
    readable = readable_reports(user, events)
    rows = []
    for event in events:
        hidden = event.report_id is not None and event.report_id not in readable
        title = readable[event.report_id].title if event.report_id in readable else ""
        rows.append(
            Row(
                event=event,
                verb_label=verb_label(event.verb),
                actor=_actor(event),
                report_title=title,
                content=HIDDEN_CONTENT
                if hidden
                else _content(event.payload or {}, event.object_type),
                object_label=object_label(event.object_type, event.object_id),
            )
        )
    return rows
