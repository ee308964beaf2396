"""Export → import into an empty database → the same content comes out again."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from minyi.audit.models import verify_chain
from minyi.exchange.models import ImportJob
from minyi.people.models import Member, Organization, OrgKind, Role, Sector
from minyi.reports.actions import set_authors
from minyi.reports.models import Category, Report, Urgency
from tests.exchange.conftest import XLSX, read_sheet
from tests.factories import make_org, make_report, make_user

UNITS = [("民盟市委", ""), ("九三学社市委", ""), ("示范市东城区政协", "东城区政协")]
SECTORS = ["经济界", "教育界", "医药卫生界"]
#: Columns that describe the report itself; 流水号 and 状态 belong to the database it is in.
CONTENT = slice(0, 8)
URGENCY = 10


def reference_data() -> None:
    """What an empty installation is set up with before anything is imported."""
    for name, short in UNITS:
        make_org(
            name, OrgKind.DISTRICT_CPPCC if short else OrgKind.DEMOCRATIC_PARTY, short_name=short
        )
    for name in SECTORS:
        Sector.objects.get_or_create(name=name)
    parent = Category.objects.get_or_create(name="民生保障")[0]
    Category.objects.get_or_create(name="养老服务", parent=parent)
    Category.objects.get_or_create(name="城乡建设")


def build_history(cast) -> None:
    reference_data()
    Member.objects.filter(name="李华").update(phone="13800000001", title="副主委")
    Member.objects.create(
        name="陈教授", sector=Sector.objects.get(name="教育界"), phone="13900000009"
    )
    co_signed = make_report(
        cast,
        state="published",
        title="关于完善老年助餐服务的建议",
        situation="第一段情况。\n第二段情况，含“引号”和 =号。",
        informant="网民甲（编号1，2019年）",
    )
    set_authors(co_signed, [cast.member.member, cast.officer.member])
    make_report(
        cast, state="accepted", title="关于治理城区内涝的建议", urgency=Urgency.URGENT, analysis=""
    )
    make_report(
        cast,
        by=cast.outsider,
        state="submitted",
        title="关于校园食品安全的建议",
        unit=cast.other_unit,
    )
    district = Organization.objects.get(name="示范市东城区政协")
    make_report(cast, state="submitted", title="关于老旧小区改造的建议", unit=district)


def upload_and_apply(
    client, url_name: str, data: bytes, name: str, field: str, **extra: str
) -> None:
    response = client.post(
        reverse(url_name), {field: SimpleUploadedFile(name, data, content_type=XLSX), **extra}
    )
    assert response.status_code == 302, response.content.decode()
    if "/mapping/" in response.url:  # the reports file goes through the mapping screen
        job = ImportJob.objects.get(created_by__username="editor")
        guessed = {key: str(col) for key, col in job.mapping.items() if col is not None}
        # The export's 状态 is live (已报送); an import is an archive, so it is not carried over.
        guessed.pop("state", None)
        response = client.post(response.url, guessed)
        assert response.status_code == 302
    applied = client.post(response.url + "apply/")
    assert applied.status_code == 302


@pytest.mark.django_db(transaction=True)
def test_export_then_import_into_an_empty_database_gives_the_same_content(cast, client_for):
    build_history(cast)
    admin = make_user("admin", Role.ADMIN)
    roster_before = client_for(admin).get(reverse("exchange:export_roster")).content
    reports_before = client_for(cast.editor).get(reverse("exchange:export_reports")).getvalue()
    assert len(read_sheet(reports_before)) == 1 + 4

    call_command("flush", interactive=False, verbosity=0)
    assert not Report.objects.exists() and not Member.objects.exists()
    reference_data()
    admin, editor = make_user("admin", Role.ADMIN), make_user("editor", Role.EDITOR)
    upload_and_apply(
        client_for(admin), "exchange:roster_import", roster_before, "名册.xlsx", "file"
    )
    upload_and_apply(
        client_for(editor),
        "exchange:reports_import",
        reports_before,
        "信息.xlsx",
        "files",
        state="published",
    )

    roster_after = client_for(admin).get(reverse("exchange:export_roster")).content
    reports_after = client_for(editor).get(reverse("exchange:export_reports")).getvalue()
    assert read_sheet(roster_after) == read_sheet(roster_before)
    before, after = read_sheet(reports_before), read_sheet(reports_after)
    assert after[0] == before[0]
    content = sorted(row[CONTENT] + [row[URGENCY]] for row in before[1:])
    assert sorted(row[CONTENT] + [row[URGENCY]] for row in after[1:]) == content
    # Imported reports are archives (历史): they keep their text and dates, never live states.
    assert {row[9] for row in after[1:]} == {"已编发"}
    assert not Report.objects.filter(is_historical=False).exists()
    co_signed = Report.objects.get(title="关于完善老年助餐服务的建议")
    assert [a.member.name for a in co_signed.report_authors.all()] == ["张明", "李华"]
    assert verify_chain() is None
