"""Who may open what: one entry per URL pattern of the site, walked from the URL conf.

``MATRIX`` maps every pattern name to its cases: an object (or none, for list pages),
a method, and the roles allowed through. The Django admin's patterns are covered by
one rule (``ADMIN_ALLOWED``: only the staff superuser). A pattern without an entry
fails ``test_every_url_pattern_has_an_entry``, so a new page says who may open it
before it ships.

For each case, each role not allowed is refused: 403 (wrong role for the page) or
404 (an object the user may not see), the admin's redirect to its own login, and a
refused request — GET or POST — leaves the event log as it was. The allowed roles
get through a GET (neither refused nor sent to log in). Anonymous visitors are sent
to the login page everywhere but the public pages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from minyi.accounts.models import UserSession
from minyi.audit.models import Event
from minyi.bulletins.actions import do_compose, do_create_issue, do_send_issue_for_sign_off
from minyi.bulletins.models import IssueCopy
from minyi.core import clock
from minyi.exchange.models import ImportJob, ImportKind
from minyi.notify.models import Notification
from minyi.outcomes.models import IncomingScan, Instruction
from minyi.people.models import Role
from minyi.people.terms import OfficerAppointment
from minyi.reports.models import Attachment
from minyi.scoring.actions import do_create_notice, do_file_objection
from minyi.scoring.models import Campaign, CampaignKind, CampaignUnit
from tests.duties.helpers import make_commission, make_topic
from tests.factories import make_report, make_user
from tests.scoring.helpers import make_rules, this_year
from tests.urlconf import Pattern, admin_arguments, patterns

CAST = ("member", "officer", "liaison", "editor", "approver", "leader", "outsider")
#: The cast and a staff superuser, who holds the admin role (系统管理员).
ROLES = (*CAST, "admin")
PUBLIC = ("anonymous", *ROLES)
#: Roles with a unit to report for (the office may report for any unit): all but leaders.
WRITERS = ("member", "officer", "liaison", "outsider", "editor", "approver", "admin")
WITH_MEMBER = ("member", "officer", "outsider")
OFFICE = ("editor", "approver", "admin")
EDITOR, APPROVER, ADMIN = ("editor",), ("approver",), ("admin",)
#: Every pattern of the Django admin: the staff superuser only.
ADMIN_ALLOWED = ADMIN


@dataclass(frozen=True)
class Case:
    allowed: tuple[str, ...]
    obj: str | None = None  # key into the world, or None for pages without an object
    method: str = "get"
    kwargs: tuple[tuple[str, str], ...] = ()  # further URL arguments, e.g. the action
    data: tuple[tuple[str, str], ...] = ()
    #: How a refusal answers: 403/404, or for a view that takes only the user's own
    #: objects and says "not found" on its own page, a redirect (the event check stays).
    refusal: tuple[int, ...] = (403, 404)


def get(*allowed: str, obj: str | None = None, **kwargs: str) -> Case:
    return Case(tuple(allowed), obj, "get", tuple(kwargs.items()))


def post(*allowed: str, obj: str | None = None, data: dict | None = None, **kwargs: str) -> Case:
    return Case(tuple(allowed), obj, "post", tuple(kwargs.items()), tuple((data or {}).items()))


def but(*refused: str) -> tuple[str, ...]:
    return tuple(r for r in ROLES if r not in refused)


# Reports: who may read a report in each state (reports.access.visible_reports).
READ_DRAFT = ("member", "liaison")
READ_SUBMITTED = but("officer", "leader", "outsider")
READ_PUBLISHED = but("officer", "outsider")
# Issues: the office sees every issue, leaders the issued ones (bulletins.access).
READ_DRAFT_ISSUE = OFFICE
READ_ISSUED = (*OFFICE, "leader")

MATRIX: dict[str, tuple[Case, ...]] = {
    # Site and accounts.
    "home": (get(*ROLES),),
    "healthz": (get(*PUBLIC),),
    "login": (get(*PUBLIC),),
    "logout": (post(*PUBLIC),),
    "accounts:home": (get(*ROLES),),
    "accounts:password_change": (get(*ROLES),),
    # Ends one of the user's own sessions; another's is "not found" on the account page.
    "accounts:end_session": (Case(("member",), "member_session", "post", refusal=(302, 403, 404)),),
    "accounts:logout_everywhere": (post(*ROLES),),
    "accounts:otp_verify": (get(*ROLES),),
    "accounts:otp_enrol": (get(*ROLES),),
    "accounts:otp_qr": (get(*ROLES),),
    "accounts:recovery_codes": (post(*ROLES),),
    "accounts:security": (get(*ADMIN),),
    "accounts:unlock": (post(*ADMIN, data={"kind": "account", "value": "member"}),),
    "accounts:otp_reset": (post(*ADMIN, obj="member_user"),),
    # Member-side report pages.
    "reports:mine": (get(*ROLES),),
    "reports:new": (get(*WRITERS),),
    "reports:assist": (post(*WRITERS, data={"title": "关于社区养老的建议"}),),
    "reports:member_search": (get(*WRITERS),),
    "reports:detail": (
        get(*READ_DRAFT, obj="draft"),
        get(*READ_SUBMITTED, obj="submitted"),
        get(*READ_PUBLISHED, obj="published"),
    ),
    "reports:edit": (get(*READ_DRAFT, obj="draft"),),
    "reports:act": (post(*READ_DRAFT, obj="draft", action="submit"),),
    "reports:attach": (post(*READ_DRAFT, obj="draft"),),
    "reports:attachment": (
        get(*READ_SUBMITTED, obj="attachment"),
        get(*READ_DRAFT, obj="draft_attachment"),
    ),
    "reports:remove_attachment": (post(*READ_DRAFT, obj="draft_attachment"),),
    "reports:attachment_preview": (
        get(*READ_SUBMITTED, obj="attachment"),
        get(*READ_DRAFT, obj="draft_attachment"),
    ),
    # Research office.
    "office:triage": (get(*EDITOR),),
    "office:merge": (get(*EDITOR), post(*EDITOR, data={"reports": "1"})),
    "office:workbench": (get(*EDITOR, obj="submitted"), get(obj="draft")),
    "office:claim": (post(*EDITOR, obj="submitted"),),
    "office:take_over": (post(*EDITOR, obj="submitted"),),
    "office:assist": (get(*EDITOR, obj="submitted"),),
    "office:confidentiality": (
        post("editor", "approver", obj="submitted", data={"level": "internal"}),
    ),
    "office:act": (
        post(*EDITOR, obj="submitted", action="accept"),
        post(*APPROVER, obj="awaiting", action="sign_off"),
    ),
    "office:sign_off_queue": (get(*APPROVER),),
    "office:sign_off_selected": (post(*APPROVER, data={"reports": "1"}),),
    "office:review": (get(*APPROVER, obj="awaiting"),),
    # Bulletins.
    "bulletins:list": (get(*EDITOR),),
    "bulletins:create": (post(*EDITOR, data={"bulletin": "1"}),),
    "bulletins:reader": (get("approver", "leader"),),
    "bulletins:detail": (
        get(*READ_DRAFT_ISSUE, obj="draft_issue"),
        get(*READ_ISSUED, obj="issued_issue"),
    ),
    # The item that carried a report: whoever may read the published report.
    "bulletins:item": (get(*READ_PUBLISHED, obj="published_item"),),
    "bulletins:compose": (get(*EDITOR, obj="draft_issue"),),
    "bulletins:send": (post(*EDITOR, obj="draft_issue"),),
    # Editors act at 审核 steps of a chain (never on an issue they edit: refused in the page).
    "bulletins:sign_off": (post("editor", "approver", obj="awaiting_issue"),),
    "bulletins:reject": (post("editor", "approver", obj="awaiting_issue", data={"note": "理由"}),),
    "bulletins:delete": (post(*EDITOR, obj="draft_issue"),),
    "bulletins:correct": (post(*APPROVER, obj="issued_issue", data={"note": "理由"}),),
    "bulletins:void": (post(*APPROVER, obj="issued_issue", data={"note": "理由"}),),
    # Documents follow the same access helpers as the pages.
    "documents:report_docx": (
        get(*READ_DRAFT, obj="draft"),
        get(*READ_SUBMITTED, obj="submitted"),
    ),
    "documents:report_pdf": (get(*READ_SUBMITTED, obj="submitted"),),
    "documents:issue_docx": (
        get(*READ_DRAFT_ISSUE, obj="draft_issue"),
        get(*READ_ISSUED, obj="issued_issue"),
    ),
    "documents:issue_pdf": (get(*READ_ISSUED, obj="issued_issue"),),
    # 编者按 is the editor's; 分发登记 and the yearbook are the office's (not leaders').
    "documents:editor_note": (
        get(*EDITOR, obj="draft_issue"),
        post(*EDITOR, obj="draft_issue", data={"editor_note": "编者按"}),
    ),
    "documents:issue_copies": (
        get(*OFFICE, obj="issued_issue"),
        post(*OFFICE, obj="issued_issue", data={"copies": "1", "holders": "市委"}),
    ),
    "documents:issue_copy_docx": (get(*OFFICE, obj="issued_issue", number="1"),),
    "documents:issue_copy_pdf": (get(*OFFICE, obj="issued_issue", number="1"),),
    "documents:yearbook": (get(*OFFICE),),
    # Outcomes: the editors' work.
    "outcomes:pending": (get(*EDITOR),),
    "outcomes:forwarding": (get(*EDITOR, obj="forwarding"),),
    "outcomes:adopt": (
        post(*EDITOR, obj="forwarding", data={"kind": "single", "adopted_on": "2020-01-01"}),
    ),
    "outcomes:not_adopted": (post(*EDITOR, obj="forwarding"),),
    "outcomes:instruct": (post(*EDITOR, obj="forwarding"),),
    "outcomes:attach_scan": (post(*EDITOR, obj="forwarding"),),
    "outcomes:incoming": (get(*OFFICE),),
    "outcomes:scan_file": (get(*OFFICE, obj="scan"),),
    "outcomes:forward": (get(*EDITOR, obj="published"),),
    "outcomes:batch_adopt": (post(*EDITOR, data={"forwardings": "1"}),),
    "outcomes:chase": (get(*EDITOR),),
    "outcomes:chase_recipient": (get(*EDITOR, obj="recipient"),),
    "outcomes:chase_docx": (get(*EDITOR, obj="recipient"),),
    "outcomes:chase_xlsx": (get(*EDITOR, obj="recipient"),),
    # Notifications are each user's own.
    "notify:list": (get(*ROLES),),
    "notify:open": (get("member", obj="notification"),),
    "notify:mark_all_read": (post(*ROLES),),
    "notify:preferences": (get(*ROLES),),
    "notify:background": (get(*ADMIN),),
    "search:results": (get(*ROLES),),
    # Deadlines.
    "deadlines:overdue": (get(*OFFICE),),
    "deadlines:unit": (get("liaison"),),
    "deadlines:holidays": (get(*ADMIN), post(*ADMIN, data={"year": "2027", "text": "1月1日 放假"})),
    # Statistics, hot topics, the audit log.
    "insights:dashboard": (get("leader", *OFFICE),),
    "insights:figure_xlsx": (get("leader", *OFFICE, slug="funnel"),),
    "insights:hot_topics": (get("editor", "leader"),),
    "insights:audit": (get(*ADMIN),),
    "insights:audit_export": (get(*ADMIN),),
    # Imports and exports.
    "exchange:roster_import": (get(*ADMIN),),
    "exchange:roster_plan": (get(*ADMIN, obj="roster_job"),),
    "exchange:roster_apply": (post(*ADMIN, obj="roster_job"),),
    "exchange:export_roster": (get(*ADMIN),),
    "exchange:reports_import": (get(*EDITOR),),
    "exchange:reports_template": (get(*EDITOR),),
    "exchange:reports_mapping": (get(*EDITOR, obj="reports_job"),),
    "exchange:reports_plan": (get(*EDITOR, obj="reports_job"),),
    "exchange:reports_apply": (post(*EDITOR, obj="reports_job"),),
    "exchange:reports_progress": (get(*EDITOR, obj="reports_job"),),
    # The export of a list follows that list's own access (exchange.tables).
    "exchange:export_reports": (get(*ROLES),),
    "exchange:export_forwardings": (get(*EDITOR),),
    # Scoring: ledgers through scoring.access.visible_members.
    "scoring:mine": (get(*WITH_MEMBER),),
    "scoring:member": (get("member", "liaison", "leader", *OFFICE, obj="member_pk"),),
    "scoring:correct": (
        post(*ADMIN, obj="member_pk", data={"points": "1", "reason": "补记", "year": "2026"}),
    ),
    "scoring:objections": (get(*ADMIN),),
    "scoring:object": (post(*WITH_MEMBER, data={"text": "申诉理由"}),),
    "scoring:resolve": (post(*ADMIN, obj="objection", data={"decision": "reject"}),),
    "scoring:rankings": (get("liaison", "leader", *OFFICE),),
    "scoring:export": (get(*OFFICE),),
    "scoring:rules": (get(*OFFICE),),
    "scoring:rules_edit": (get(*ADMIN),),
    "scoring:campaigns": (get("liaison", "leader", *OFFICE),),
    "scoring:campaign_new": (get("editor", "admin"),),
    "scoring:campaign": (get("liaison", "leader", *OFFICE, obj="campaign"),),
    "scoring:campaign_edit": (get("editor", "admin", obj="campaign"),),
    "scoring:notices": (get("leader", *OFFICE),),
    "scoring:notice_new": (post(*EDITOR),),
    "scoring:notice": (get("leader", *OFFICE, obj="notice"),),
    "scoring:notice_edit": (post(*EDITOR, obj="notice", data={"title": "通报"}),),
    "scoring:notice_docx": (get("leader", *OFFICE, obj="notice"),),
    "scoring:notice_review": (post(*EDITOR, obj="notice", data={"decision": "confirm"}),),
    "scoring:notice_step": (post("approver", "admin", obj="notice", step="confirm"),),
    "scoring:public_notices": (get(*PUBLIC),),
    # A notice not yet published is public to no one.
    "scoring:public_notice": (get(obj="notice"),),
    # Topic guide and 约稿: the office keeps them, leaders read; a commission is its member's.
    "topics:list": (get("leader", *OFFICE),),
    "topics:new": (get("editor", "admin"),),
    "topics:detail": (get("leader", *OFFICE, obj="topic"),),
    "topics:edit": (get("editor", "admin", obj="topic"),),
    "topics:commission_new": (get("editor", "admin", obj="topic"),),
    "topics:commissions": (get("leader", *OFFICE),),
    "topics:commission": (get("member", "leader", *OFFICE, obj="commission"),),
    "topics:commission_cancel": (
        post("editor", "admin", obj="commission", data={"reason": "选题调整"}),
    ),
    "topics:commission_answer": (post("member", obj="commission", action="accept"),),
    # Terms are the admin's; officer appointments the office's.
    "members:terms": (get(*ADMIN),),
    "members:officers": (get("editor", "admin"),),
    # The 履职 record: whoever may see the member's points (scoring.access.visible_members).
    "members:mine": (get(*ROLES),),
    "members:record": (get("member", "liaison", "leader", *OFFICE, obj="member_pk"),),
    "members:record_docx": (get("member", "liaison", "leader", *OFFICE, obj="member_pk"),),
    "members:records": (get(*OFFICE),),
    "members:remove_officer": (
        post("editor", "admin", obj="appointment", data={"reason": "调动"}),
    ),
}


# --- The world the cases point into ----------------------------------------------------


@dataclass
class World:
    objects: dict[str, Any] = field(default_factory=dict)

    def pk(self, key: str) -> int:
        return self.objects[key].pk


@pytest.fixture
def world(cast, django_capture_on_commit_callbacks) -> World:
    # Notifications go out on commit; run those callbacks inside the test transaction.
    with django_capture_on_commit_callbacks(execute=True):
        objects = build_world(cast)
    objects["notification"] = Notification.objects.filter(user=cast.member).first()
    return World(objects)


@pytest.fixture
def users(cast, world) -> dict[str, Any]:
    return {**cast.everyone(), "admin": world.objects["admin"]}


def _attachment(report, user) -> Attachment:
    return Attachment.objects.create(
        report=report,
        file=ContentFile(b"%PDF-1.4 test", name="a.pdf"),
        original_name="情况说明.pdf",
        size=13,
        content_type="application/pdf",
        uploaded_by=user,
    )


def _scan(forwarding, user) -> IncomingScan:
    """A 收文登记 scan of a 批示 on the forwarding (an instruction changes no state)."""
    instruction = Instruction.objects.create(
        forwarding=forwarding,
        leader_name="王某",
        level="municipal",
        text="请研究。",
        instructed_on=clock.localdate(),
        recorded_by=user,
    )
    return IncomingScan.objects.create(
        instruction=instruction,
        file=ContentFile(b"%PDF-1.4 scan", name="s.pdf"),
        original_name="批示件.pdf",
        size=13,
        content_type="application/pdf",
        received_on=clock.localdate(),
        uploaded_by=user,
    )


def build_world(cast) -> dict[str, Any]:
    admin = make_user("admin", Role.ADMIN, is_staff=True, is_superuser=True)
    make_rules()
    submitted = make_report(cast, state="submitted")
    draft = make_report(cast)
    published = make_report(cast, state="published", title="关于已编发事项的建议")
    awaiting_issue = do_create_issue(cast.bulletin, cast.editor)
    signed = make_report(cast, state="signed_off", title="关于待签发期次的建议")
    do_compose(awaiting_issue, cast.editor, reports=[signed], main=cast.recipients[:1])
    do_send_issue_for_sign_off(awaiting_issue, cast.editor)
    return {
        "admin": admin,
        "draft": draft,
        "submitted": submitted,
        "awaiting": make_report(cast, state="awaiting_sign_off", title="关于待签发稿件的建议"),
        "published": published,
        "attachment": _attachment(submitted, cast.member),
        "draft_attachment": _attachment(draft, cast.member),
        "draft_issue": do_create_issue(cast.bulletin, cast.editor),
        "awaiting_issue": awaiting_issue,
        "issued_issue": published.issue_items.get().issue,
        "issue_copy": IssueCopy.objects.create(
            issue=published.issue_items.get().issue, number=1, printed_by=cast.editor
        ),
        "published_item": published.issue_items.get(),
        "forwarding": published.forwardings.first(),
        "scan": _scan(published.forwardings.first(), cast.editor),
        "recipient": cast.recipients[0],
        "member_pk": cast.member.member,
        "member_user": cast.member,
        "member_session": UserSession.objects.create(
            user=cast.member, session_key="matrix-session-key"
        ),
        "objection": do_file_objection(cast.member, year=this_year(), text="积分少算了一篇"),
        "notice": do_create_notice(cast.editor, this_year()),
        "campaign": _campaign(cast),
        "topic": make_topic(cast),
        "appointment": OfficerAppointment.objects.create(
            member=cast.officer.member, appointed_on=dt.date(2026, 1, 5), letter_number="聘字1号"
        ),
        "commission": make_commission(cast, topic=make_topic(cast, title="约稿选题")),
        "roster_job": ImportJob.objects.create(
            kind=ImportKind.ROSTER, created_by=admin, filename="名册.xlsx"
        ),
        "reports_job": ImportJob.objects.create(
            kind=ImportKind.REPORTS, created_by=cast.editor, filename="信息.xlsx"
        ),
    }


def _campaign(cast) -> Campaign:
    today = clock.localdate()
    campaign = Campaign.objects.create(
        name="信息月",
        kind=CampaignKind.MONTH,
        starts_on=today,
        ends_on=today + dt.timedelta(days=30),
        created_by=cast.editor,
    )
    CampaignUnit.objects.create(campaign=campaign, unit=cast.unit, quota=3)
    return campaign


# --- Calling a case ----------------------------------------------------------------------


def url_of(pattern: Pattern, case: Case, world: World, pk: int | None = None) -> str:
    values: dict[str, Any] = dict(case.kwargs)
    if case.obj is not None:
        values[pattern.params[0]] = pk if pk is not None else world.pk(case.obj)
    return pattern.url(values)


def call(client, pattern: Pattern, case: Case, world: World, pk: int | None = None):
    return getattr(client, case.method)(url_of(pattern, case, world, pk), dict(case.data))


def refused(response, case: Case | None = None) -> bool:
    if response.status_code in (case.refusal if case else (403, 404)):
        return True
    # The admin sends whoever is not staff to its own login page; so does login_required.
    location = response.get("Location", "") if response.status_code == 302 else ""
    return location.startswith((reverse("login"), reverse("admin:login")))


def sent_to_login(response) -> bool:
    location = response.get("Location", "") if response.status_code == 302 else ""
    return location.startswith((reverse("login"), reverse("admin:login")))


def logged_in(client_for, users, role: str):
    return client_for(users[role])


PATTERNS = {p.name: p for p in patterns()}
SITE = sorted(name for name, p in PATTERNS.items() if not p.is_admin)
ADMIN_PATTERNS = sorted(name for name, p in PATTERNS.items() if p.is_admin)


def test_every_url_pattern_has_an_entry():
    missing = [f"{name} ({PATTERNS[name].route})" for name in SITE if name not in MATRIX]
    assert not missing, (
        "These URL patterns have no entry in tests/test_access_matrix.py MATRIX; add one "
        f"stating the roles allowed: {missing}"
    )
    stale = sorted(set(MATRIX) - set(SITE))
    assert not stale, f"MATRIX names patterns the URL conf no longer has: {stale}"


def test_every_object_case_names_an_object_and_every_pattern_with_one_takes_it():
    for name, cases in MATRIX.items():
        for case in cases:
            takes = [p for p in PATTERNS[name].params if p not in dict(case.kwargs)]
            assert len(takes) == (case.obj is not None), (name, case)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_only_the_allowed_roles_get_through(name, world, users, client_for):
    """Refused roles: 403/404 and no event; allowed roles: through a GET; guessed ids: 404."""
    pattern = PATTERNS[name]
    for case in MATRIX[name]:
        for role in ROLES:
            client = logged_in(client_for, users, role)
            if case.obj is not None:
                _assert_guessed_id_refused(client, pattern, case, world, role)
            if role in case.allowed and case.method != "get":
                continue  # allowed POSTs change things; each feature's own tests cover them
            before = Event.objects.count()
            response = call(client, pattern, case, world)
            where = (name, case.obj, case.method, role, response.status_code)
            if role not in case.allowed:
                assert refused(response, case), where
                # A refused request leaves no trace in the event log.
                assert Event.objects.count() == before, where
            else:
                assert not refused(response), where


def _assert_guessed_id_refused(client, pattern: Pattern, case: Case, world: World, role: str):
    response = call(client, pattern, case, world, pk=987654)
    assert refused(response, case), (pattern.name, "guessed id", role, response.status_code)
    if role in case.allowed and case.refusal == (403, 404):
        assert response.status_code == 404, (pattern.name, "guessed id", role)


def test_it_sends_anonymous_visitors_to_the_login_page(world, client):
    for name, cases in MATRIX.items():
        for case in cases:
            if "anonymous" in case.allowed:
                continue
            before = Event.objects.count()
            response = call(client, PATTERNS[name], case, world)
            assert sent_to_login(response) or response.status_code == 404, (
                name,
                case.obj,
                response.status_code,
            )
            assert Event.objects.count() == before, name


def test_every_admin_page_is_for_the_staff_superuser_only(world, users, client_for, client):
    """One rule for the Django admin's patterns, each opened with a real id of its model."""
    for name in ADMIN_PATTERNS:
        pattern = PATTERNS[name]
        values = (admin_arguments(pattern) or [None])[0] if pattern.params else {}
        if values is None:
            continue  # view_on_site: redirects to the object's own page, checked there
        url = pattern.url(values)
        for role in ("anonymous", *ROLES):
            before = Event.objects.count()
            if role == "anonymous":
                client.logout()
                response = client.get(url)
            else:
                response = logged_in(client_for, users, role).get(url)
            if name in ("admin:login", "admin:logout"):
                assert response.status_code < 500, (name, role)  # open to all, like login/
            elif role in ADMIN_ALLOWED:
                assert not sent_to_login(response), (name, role, response.status_code)
            else:
                assert refused(response), (name, role, response.status_code)
            assert Event.objects.count() == before, (name, role)
