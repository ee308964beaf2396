"""The Django admin follows the report access rule: drafts stay private to their authors."""

from __future__ import annotations

from django.urls import reverse

from minyi.audit.admin import WITHHELD
from minyi.audit.models import Event
from minyi.people.models import Role
from tests.factories import make_report, make_user


def _admin():
    return make_user("admin", Role.ADMIN, is_staff=True, is_superuser=True)


def test_the_admin_report_list_leaves_out_other_peoples_drafts(cast, client_for):
    draft = make_report(cast, title="关于委员私下起草事项的建议")
    submitted = make_report(cast, state="submitted", title="关于已报送事项的建议")
    page = client_for(_admin()).get(reverse("admin:reports_report_changelist")).content.decode()
    assert submitted.title in page
    assert draft.title not in page


def test_the_admin_cannot_open_a_draft_by_its_id(cast, client_for):
    draft = make_report(cast, title="关于委员私下起草事项的建议")
    client = client_for(_admin())
    for name in ("admin:reports_report_change", "admin:reports_report_history"):
        response = client.get(reverse(name, args=[draft.pk]), follow=True)
        assert draft.title not in response.content.decode(), name


def test_the_admin_event_log_lists_a_drafts_events_without_their_payload(cast, client_for):
    draft = make_report(cast, title="关于委员私下起草事项的建议")
    submitted = make_report(cast, state="submitted", title="关于已报送事项的建议")
    client = client_for(_admin())
    created = Event.objects.get(report_id=draft.pk, verb="create")
    page = client.get(reverse("admin:audit_event_change", args=[created.pk])).content.decode()
    assert draft.title not in page
    assert WITHHELD in page
    # Who did what and when stays on record.
    assert f"#{created.pk} create" in page and cast.member.display_name in page
    # Events of a report the admin may read keep their payload.
    readable = Event.objects.get(report_id=submitted.pk, verb="create")
    page = client.get(reverse("admin:audit_event_change", args=[readable.pk])).content.decode()
    assert submitted.title in page
    assert WITHHELD not in page


def test_an_author_who_is_staff_sees_their_own_draft_in_the_admin(cast, client_for):
    cast.member.is_staff = cast.member.is_superuser = True
    cast.member.save()
    draft = make_report(cast, title="关于本人草稿事项的建议")
    page = client_for(cast.member).get(reverse("admin:reports_report_changelist"))
    assert draft.title in page.content.decode()
