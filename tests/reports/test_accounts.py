"""Who hears about a report's fate: its writer and every author with an active account."""

from __future__ import annotations

from minyi.reports.models import accounts_by_report
from tests.factories import make_report


def test_it_finds_the_writer_and_each_author_with_an_account_in_three_queries(
    cast, django_assert_num_queries
):
    by_member = make_report(cast)
    by_liaison = make_report(cast, by=cast.liaison)
    by_liaison.report_authors.create(member=cast.officer.member, position=0)
    with django_assert_num_queries(3):
        found = accounts_by_report([by_member, by_liaison])
    assert found[by_member.pk] == [cast.member]
    assert set(found[by_liaison.pk]) == {cast.liaison, cast.officer}
    assert by_liaison.author_users() == found[by_liaison.pk]


def test_it_leaves_out_inactive_accounts(cast):
    report = make_report(cast)
    cast.member.is_active = False
    cast.member.save(update_fields=["is_active"])
    assert accounts_by_report([report]) == {report.pk: []}


def test_an_editor_who_compiled_a_report_is_not_told_of_its_fate_as_an_author(cast):
    """A composite or a report entered for a member: the office did the work, the authors hear."""
    report = make_report(cast, by=cast.editor)
    report.report_authors.all().delete()
    report.report_authors.create(member=cast.member.member, position=0)
    assert accounts_by_report([report]) == {report.pk: [cast.member]}
