"""The test that finds the next leak: every role crawls every page it can reach.

For each role of the fixed cast (and a superuser admin) we seed reports that role
may not read — others' drafts, unpublished reports for the leader, other units'
reports for a liaison or an outsider — each carrying a unique marker in its title,
its text and its attachment's name. Then each role crawls the site with GET only:
from its home page it follows every link (``href``, ``hx-get``), and it opens every
URL pattern of the URL conf filled with every real id of the objects the pattern
takes, the admin's included, plus searches for each marker and the similar-reports
hints for each hidden text. No response — HTML, JSON, XLSX or DOCX (both unzipped
and searched), or a download's headers — may carry a marker the role may not see.
PDFs are searched as raw bytes only; without LibreOffice the PDF views answer with
a message page, which is searched like any page. Last, a logged-out visitor crawls
the same way and may meet no marker at all.

Which markers are forbidden is decided by the access helpers themselves
(``visible_reports``, ``visible_objections``), and checked against the rules as
the issue states them, so a helper that loosened would fail here too.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.http import HttpResponse
from django.urls import reverse

from minyi.accounts.models import UserSession
from minyi.bulletins.actions import do_compose, do_create_issue
from minyi.bulletins.models import Issue, IssueCopy, IssueItem
from minyi.duties.models import Commission
from minyi.exchange.exports import REPORT_LISTS
from minyi.exchange.models import ImportJob
from minyi.notify.models import Notification
from minyi.outcomes.models import Forwarding, IncomingScan, Recipient
from minyi.people.models import Member, Role, User
from minyi.people.terms import OfficerAppointment
from minyi.reports.access import visible_reports
from minyi.reports.actions import do_mark_duplicate
from minyi.reports.models import Attachment, Report, Topic
from minyi.reports.workflow import TRANSITIONS
from minyi.scoring.access import visible_objections
from minyi.scoring.actions import do_create_notice, do_file_objection
from minyi.scoring.models import AnnualNotice, Campaign, Objection
from tests.duties.helpers import make_commission, make_topic
from tests.factories import Cast, make_report, make_user, settle
from tests.scoring.helpers import make_rules, this_year
from tests.urlconf import Pattern, admin_arguments, patterns, pks

ROLES = ("member", "officer", "liaison", "editor", "approver", "leader", "outsider", "admin")
#: Never followed: they end the session or only answer POST with side effects.
SKIP_PATHS = ("/logout/", "/admin/logout/")
#: Query-string variants followed per path (filters, sorting, pages): enough to reach
#: every list's second page without walking the admin's every filter combination.
VARIANTS_PER_PATH = 4
MAX_PAGES_PER_ROLE = 3000
ADMIN_HISTORY = re.compile(r"^/admin/.+/history/$")
MARK = re.compile(r"LEAK\d\dQX")
HREF = re.compile(r"""(?:href|hx-get|action)=["']([^"'#]+)""")


def marker(n: int) -> str:
    # ASCII, so HTML escaping, URL quoting and XML leave it as it is.
    return f"LEAK{n:02d}QX"


def search_word(n: int) -> str:
    # Searched for instead of the marker, which the results page would echo back.
    return f"FIND{n:02d}QX"


@dataclass
class Seeded:
    """One object a role may or may not see, and the marker it carries."""

    marker: str
    label: str
    obj: Report | Objection
    word: str = ""


@dataclass
class World:
    cast: Cast
    admin: User
    seeded: list[Seeded] = field(default_factory=list)

    def user(self, role: str) -> User:
        return self.admin if role == "admin" else getattr(self.cast, role)

    def forbidden(self, role: str) -> dict[str, str]:
        """Marker → label of every seeded object ``role`` may not see, by the access helpers."""
        user = User.objects.get(pk=self.user(role).pk)  # fresh role caches
        reports = set(visible_reports(user).values_list("pk", flat=True))
        objections = set(visible_objections(user).values_list("pk", flat=True))
        found = {}
        for s in self.seeded:
            seen = reports if isinstance(s.obj, Report) else objections
            if s.obj.pk not in seen:
                found[s.marker] = s.label
        return found


def seed(cast: Cast) -> World:
    admin = make_user("admin", Role.ADMIN, is_staff=True, is_superuser=True, display_name="管理员")
    world = World(cast, admin)
    make_rules()
    specs = [
        ("member", "draft", cast.unit, "委员的草稿"),
        ("member", "submitted", cast.unit, "委员刚报送的稿件"),
        ("member", "returned", cast.unit, "退回修改的稿件"),
        ("member", "awaiting_sign_off", cast.unit, "待签发的稿件"),
        ("member", "signed_off", cast.unit, "已签发待编入期次的稿件"),
        ("member", "withdrawn", cast.unit, "已撤回的稿件"),
        ("member", "published", cast.unit, "已编发的稿件"),
        ("officer", "draft", cast.unit, "信息员的草稿"),
        ("outsider", "draft", cast.other_unit, "外单位委员的草稿"),
        ("outsider", "submitted", cast.other_unit, "外单位已报送的稿件"),
        ("outsider", "published", cast.other_unit, "外单位已编发的稿件"),
        ("outsider", "submitted", cast.other_unit, "外单位并入的重复稿件"),
    ]
    for n, (by, state, unit, label) in enumerate(specs, start=1):
        mark = marker(n)
        report = make_report(
            cast,
            by=getattr(cast, by),
            state=state,
            unit=unit,
            title=f"关于{mark}问题的建议",
            situation=f"{mark}情况：群众反映社区养老服务设施不足，床位缺口较大，{search_word(n)}。",
            analysis=f"{mark}原因：规划落地难，补贴不足。",
            suggestions=f"{mark}建议：纳入控规，提高补贴。",
        )
        Attachment.objects.create(
            report=report,
            file=ContentFile(b"%PDF-1.4 leak", name=f"{mark}.pdf"),
            original_name=f"{mark}附件.pdf",
            size=13,
            content_type="application/pdf",
            uploaded_by=getattr(cast, by),
        )
        world.seeded.append(Seeded(mark, f"{label}（{state}）", report, search_word(n)))
    # Every report answers one topic, and the member's draft answers a commission: the topic
    # and commission pages name only the reports the role may read.
    topic = make_topic(cast)
    Report.objects.filter(pk__in=[s.obj.pk for s in world.seeded]).update(topic=topic)
    commission = make_commission(cast, state="accepted", topic=topic)
    Commission.objects.filter(pk=commission.pk).update(report=world.seeded[0].obj)
    # The last one repeats a member's report and is merged into it: the member's report
    # now credits the outsider, but the duplicate itself stays the outsider's.
    original = make_report(cast, state="submitted", title="关于重复反映事项的建议")
    do_mark_duplicate(world.seeded[-1].obj, cast.editor, original=original)
    mark = marker(len(specs) + 1)
    objection = do_file_objection(cast.member, year=this_year(), text=f"{mark}对积分的申诉")
    world.seeded.append(Seeded(mark, "委员的积分申诉", objection))
    # An issue being composed holds the signed-off report; the annual notice draft is open.
    signed = next(s.obj for s in world.seeded if s.obj.state == "signed_off")
    issue = do_create_issue(cast.bulletin, cast.editor)
    do_compose(issue, cast.editor, reports=[signed], main=cast.recipients[:1])
    do_create_notice(cast.editor, this_year())
    settle()  # points, notifications and the search index, as the worker makes them
    return world


def check_rules(world: World) -> None:
    """The helpers agree with the rules as stated: the crawl would be empty otherwise."""
    expected = {
        "member": ["信息员的草稿", "外单位已报送的稿件", "外单位并入的重复稿件"],
        "officer": ["委员的草稿", "委员刚报送的稿件"],
        "liaison": ["外单位已报送的稿件", "委员的积分申诉"],
        "editor": ["委员的草稿", "外单位委员的草稿", "委员的积分申诉"],
        "approver": ["委员的草稿", "信息员的草稿"],
        "leader": ["委员刚报送的稿件", "待签发的稿件", "已签发待编入期次的稿件", "委员的草稿"],
        "outsider": ["委员刚报送的稿件", "已编发的稿件"],
        "admin": ["委员的草稿", "外单位委员的草稿"],
    }
    for role, labels in expected.items():
        hidden = " ".join(world.forbidden(role).values())
        for label in labels:
            assert label in hidden, f"{role} should not see {label}: {hidden}"


# --- What each pattern's arguments take ------------------------------------------------


def _pks(model: type) -> Callable[[], list[int]]:
    return lambda: pks(model)


ACTIONS = sorted({action for _, action in TRANSITIONS})
REPORT, ISSUE = _pks(Report), _pks(Issue)
#: Pattern name → argument name → where its values come from.
ARGUMENTS: dict[str, dict[str, Callable[[], list]]] = {
    "reports:detail": {"pk": REPORT},
    "reports:edit": {"pk": REPORT},
    "reports:act": {"pk": REPORT, "action": lambda: ACTIONS},
    "reports:attach": {"pk": REPORT},
    "reports:attachment": {"pk": _pks(Attachment)},
    "reports:remove_attachment": {"pk": _pks(Attachment)},
    "office:workbench": {"pk": REPORT},
    "office:claim": {"pk": REPORT},
    "office:take_over": {"pk": REPORT},
    "reports:attachment_preview": {"pk": _pks(Attachment)},
    "accounts:end_session": {"pk": _pks(UserSession)},
    "accounts:otp_reset": {"pk": _pks(User)},
    "office:assist": {"pk": REPORT},
    "office:confidentiality": {"pk": REPORT},
    "office:act": {"pk": REPORT, "action": lambda: ACTIONS},
    "office:review": {"pk": REPORT},
    "documents:report_docx": {"pk": REPORT},
    "documents:report_pdf": {"pk": REPORT},
    "documents:issue_docx": {"pk": ISSUE},
    "documents:issue_pdf": {"pk": ISSUE},
    "documents:editor_note": {"pk": ISSUE},
    "documents:issue_copies": {"pk": ISSUE},
    "documents:issue_copy_docx": {"pk": ISSUE, "number": lambda: _copy_numbers()},
    "documents:issue_copy_pdf": {"pk": ISSUE, "number": lambda: _copy_numbers()},
    "bulletins:item": {"pk": _pks(IssueItem)},
    "outcomes:forward": {"report_pk": REPORT},
    "notify:open": {"pk": _pks(Notification)},
    "insights:figure_xlsx": {"slug": lambda: list(_figures())},
    "scoring:member": {"pk": _pks(Member)},
    "scoring:correct": {"pk": _pks(Member)},
    "scoring:resolve": {"pk": _pks(Objection)},
    "scoring:notice_review": {"pk": _pks(AnnualNotice)},
    "outcomes:scan_file": {"pk": _pks(IncomingScan)},
    "scoring:notice_step": {"pk": _pks(AnnualNotice), "step": lambda: ["confirm", "publish"]},
}
for name in ("detail", "compose", "send", "sign_off", "reject", "delete", "correct", "void"):
    ARGUMENTS[f"bulletins:{name}"] = {"pk": ISSUE}
for name in ("chase_recipient", "chase_docx", "chase_xlsx"):
    ARGUMENTS[f"outcomes:{name}"] = {"pk": _pks(Recipient)}
for name in ("forwarding", "adopt", "not_adopted", "instruct", "attach_scan"):
    ARGUMENTS[f"outcomes:{name}"] = {"pk": _pks(Forwarding)}
for name in ("roster_plan", "roster_apply", "reports_mapping", "reports_plan"):
    ARGUMENTS[f"exchange:{name}"] = {"pk": _pks(ImportJob)}
for name in ("reports_apply", "reports_progress"):
    ARGUMENTS[f"exchange:{name}"] = {"pk": _pks(ImportJob)}
for name in ("campaign", "campaign_edit"):
    ARGUMENTS[f"scoring:{name}"] = {"pk": _pks(Campaign)}
for name in ("notice", "notice_edit", "notice_docx", "public_notice"):
    ARGUMENTS[f"scoring:{name}"] = {"pk": _pks(AnnualNotice)}
for name in ("detail", "edit", "commission_new"):
    ARGUMENTS[f"topics:{name}"] = {"pk": _pks(Topic)}
for name in ("commission", "commission_cancel"):
    ARGUMENTS[f"topics:{name}"] = {"pk": _pks(Commission)}
ARGUMENTS["members:remove_officer"] = {"pk": _pks(OfficerAppointment)}
for name in ("record", "record_docx"):
    ARGUMENTS[f"members:{name}"] = {"pk": _pks(Member)}
ARGUMENTS["topics:commission_answer"] = {
    "pk": _pks(Commission),
    "action": lambda: ["accept", "decline"],
}


def _copy_numbers() -> list[int]:
    return sorted(set(IssueCopy.objects.values_list("number", flat=True)))


def _figures() -> Iterable[str]:
    from minyi.insights.stats import FIGURES

    return FIGURES


def urls_of(pattern: Pattern) -> list[str]:
    if pattern.is_admin:
        combos = admin_arguments(pattern) if pattern.params else [{}]
    else:
        sources = ARGUMENTS.get(pattern.name, {})
        if set(pattern.params) - set(sources):
            return []  # flagged by the test below
        combos = [{}]
        for param in pattern.params:
            combos = [{**c, param: v} for c in combos for v in sources[param]()]
    return [pattern.url(c) for c in combos]


def test_every_pattern_with_arguments_says_where_its_ids_come_from():
    missing = [
        f"{p.name} ({p.route})"
        for p in patterns()
        if p.params and not p.is_admin and set(p.params) - set(ARGUMENTS.get(p.name, {}))
    ]
    assert not missing, (
        "The leak crawl cannot fill these URL patterns; add them to ARGUMENTS in "
        f"tests/test_leak_crawl.py: {missing}"
    )


# --- Reading responses -------------------------------------------------------------------


def texts_of(response: HttpResponse) -> list[str]:
    """Every text a response carries: headers, body, and the XML inside office files."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    found = [" ".join(f"{k}: {v}" for k, v in response.items())]
    if body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            found += [archive.read(n).decode("utf-8", "replace") for n in archive.namelist()]
    else:
        found.append(body.decode("utf-8", "replace"))
    return found


def links_in(url: str, text: str) -> list[str]:
    found = []
    for raw in HREF.findall(text):
        target = urljoin(url, raw.replace("&amp;", "&"))
        parts = urlsplit(target)
        if parts.scheme in ("", "http") and parts.netloc in ("", "testserver"):
            # The admin carries the list's filters into every object link; the object is the same.
            query = "&".join(
                p for p in parts.query.split("&") if p and not p.startswith("_changelist_filters")
            )
            found.append(parts.path + (f"?{query}" if query else ""))
    return found


@dataclass
class Crawl:
    client: object
    forbidden: dict[str, str]
    role: str
    leaks: list[str] = field(default_factory=list)
    found: set[str] = field(default_factory=set)  # every marker seen, allowed or not
    seen: set[str] = field(default_factory=set)
    variants: dict[str, int] = field(default_factory=dict)
    queue: deque[str] = field(default_factory=deque)
    following: bool = False  # past the patterns, following links

    def run(self, groups: list[list[str]]) -> int:
        """Visit each pattern's URLs, then every link found, until none is new."""
        for group in groups:
            for url in group:
                if self._visit(url) == 405:
                    break  # POST only: the other ids answer the same
        self.following = True
        while self.queue:
            assert len(self.seen) < MAX_PAGES_PER_ROLE, (
                f"{self.role}: more than {MAX_PAGES_PER_ROLE} pages; raise the bound so "
                "the crawl is not silently cut short"
            )
            self._visit(self.queue.popleft())
        return len(self.seen)

    def _visit(self, url: str) -> int | None:
        if not self._admit(url):
            return None
        response = self.client.get(url)
        if response.status_code in (301, 302):
            self.queue.append(response["Location"])
        for text in texts_of(response):
            self._inspect(url, text)
            if response.get("Content-Type", "").startswith("text/html"):
                self.queue.extend(links_in(url, text))
        return response.status_code

    def probe(self, method: str, url: str, data: dict[str, str]) -> None:
        response = getattr(self.client, method)(url, data)
        for text in texts_of(response):
            self._inspect(f"{method.upper()} {url} {data}", text)

    def _admit(self, url: str) -> bool:
        path = urlsplit(url).path
        if url in self.seen or path.startswith(SKIP_PATHS) or path.startswith("/static/"):
            return False
        if self.following and ADMIN_HISTORY.match(path):
            return False  # every object links its history; admin_arguments opens a few
        if "?" in url:
            self.variants[path] = self.variants.get(path, 0) + 1
            if self.variants[path] > VARIANTS_PER_PATH:
                return False
        self.seen.add(url)
        return True

    def _inspect(self, where: str, text: str) -> None:
        for mark in MARK.findall(text):
            if mark in self.forbidden:
                self.leaks.append(f"{self.role} sees {mark} ({self.forbidden[mark]}) at {where}")
            self.found.add(mark)


def start_urls(role: str) -> list[list[str]]:
    """Home, then each pattern's URLs with every real id, one group per pattern.

    The admin's patterns only for the admin: everyone else is sent to log in there.
    """
    # Each list an export repeats, whether or not a page links to it.
    exports = [f"{reverse('exchange:export_reports')}?list={which}" for which in REPORT_LISTS]
    groups = [[reverse("home")], exports]
    for pattern in patterns():
        if pattern.is_admin and role != "admin":
            continue  # refused with a redirect to the admin login; the matrix checks that
        groups.append(urls_of(pattern))
    return groups


@pytest.mark.django_db
def test_no_role_finds_a_marker_it_may_not_see(
    cast, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        world = seed(cast)
    check_rules(world)
    leaks: list[str] = []
    for role in ROLES:
        crawl = Crawl(client_for(world.user(role)), world.forbidden(role), role)
        visited = crawl.run(start_urls(role))
        assert visited > 20, f"{role} reached only {visited} pages"
        for mark, _ in crawl.forbidden.items():
            hidden = next(s for s in world.seeded if s.marker == mark)
            if isinstance(hidden.obj, Report):
                crawl.probe("get", reverse("search:results"), {"q": hidden.word})
                crawl.probe("post", reverse("reports:assist"), _draft_of(hidden.obj))
        leaks += crawl.leaks
        # The crawl reaches what it should: each object the role may see shows up somewhere,
        # so a page that stopped rendering (or a crawl that stopped following) cannot pass.
        allowed = {s.marker for s in world.seeded} - set(crawl.forbidden)
        assert allowed <= crawl.found, f"{role} never saw {sorted(allowed - crawl.found)}"
    leaks += _anonymous_leaks(client_for(cast.member), world)
    assert not leaks, "Leaks found:\n" + "\n".join(sorted(set(leaks)))


def _anonymous_leaks(client, world: World) -> list[str]:
    """Logged out, every page is the login page or a public notice: no marker at all."""
    client.logout()
    everything = {s.marker: s.label for s in world.seeded}
    crawl = Crawl(client, everything, "anonymous")
    assert crawl.run(start_urls("anonymous")) > 20
    return crawl.leaks


def test_the_crawl_reads_inside_xlsx_and_docx(cast, client_for):
    """Markers inside office files are found: the crawl unzips them and reads the XML."""
    report = make_report(cast, state="submitted", title=f"关于{marker(99)}问题的建议")
    client = client_for(cast.editor)
    workbook = client.get(f"{reverse('exchange:export_reports')}?list=all")
    document = client.get(reverse("documents:report_docx", args=[report.pk]))
    for response in (workbook, document):
        assert response.status_code == 200
        headers, *parts = texts_of(response)
        assert len(parts) > 1  # unzipped: one text per part of the archive
        assert any(marker(99) in text for text in parts)


def _draft_of(report: Report) -> dict[str, str]:
    """The hidden report's own text, as a draft: the similar-reports hints must not name it."""
    fields = ("title", "situation", "analysis", "suggestions")
    return {f: getattr(report, f) for f in fields}
