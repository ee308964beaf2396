"""Each rule kind, caps, shares, highest-level-only vs cumulative: through the real actions."""

from __future__ import annotations

from decimal import Decimal

import pytest

from minyi.core import clock
from minyi.outcomes.actions import do_forward, do_record_adoption, do_record_instruction
from minyi.outcomes.models import Recipient, RecipientLevel
from minyi.reports.actions import do_mark_duplicate
from minyi.reports.models import Urgency
from minyi.reports.workflow import transition
from minyi.scoring.models import Score
from tests.factories import make_report, publish
from tests.scoring.helpers import make_rules, points_of

# Transactional: every action really commits, so the ledger's after-commit
# update runs exactly as in production.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def live(transactional_db):
    return None


def _adopt(report, cast, name, level, kind="single"):
    recipient = Recipient.objects.get_or_create(name=name, defaults={"level": level})[0]
    forwarding = report.forwardings.filter(recipient=recipient).first()
    if forwarding is None:
        forwarding = do_forward(report, [recipient], cast.editor)[0]
    do_record_adoption(forwarding, cast.editor, kind=kind, adopted_on=clock.localdate())
    return forwarding


def kinds(member_id) -> dict[str, Decimal]:
    found: dict[str, Decimal] = {}
    for kind, points in Score.objects.filter(member_id=member_id).values_list("kind", "points"):
        found[kind] = found.get(kind, Decimal(0)) + points
    return found


def test_it_scores_a_submission_once_even_after_withdraw_and_resubmit(cast, live):
    make_rules(item_cap=None, year_cap=None)
    report = make_report(cast, state="submitted")
    transition(report, "withdraw", cast.member)
    transition(report, "submit", cast.member)
    assert kinds(cast.member.member_id) == {"submitted": Decimal("1.00")}


def test_it_scores_publication_and_adoption_by_level(cast, live):
    make_rules(item_cap=None, year_cap=None)
    report = make_report(cast, state="published")
    _adopt(report, cast, "市政府", RecipientLevel.MUNICIPAL)
    assert kinds(cast.member.member_id) == {
        "submitted": Decimal(1),
        "published": Decimal(3),
        "adopted": Decimal(5),
    }


def test_it_counts_only_the_increase_when_highest_level_only(cast, live):
    make_rules(highest_level_only=True, item_cap=None, year_cap=None)
    report = make_report(cast, state="published")
    _adopt(report, cast, "市政府", RecipientLevel.MUNICIPAL)
    _adopt(report, cast, "全国政协", RecipientLevel.NATIONAL)
    _adopt(report, cast, "省政协", RecipientLevel.PROVINCIAL)
    # 5 for the city, then 15 more to reach the national 20, then nothing for the province.
    assert kinds(cast.member.member_id)["adopted"] == Decimal(20)
    assert Score.objects.filter(kind="adopted", points=0, note__contains="只计最高级").exists()


def test_it_adds_every_level_when_cumulative(cast, live):
    make_rules(highest_level_only=False, item_cap=None, year_cap=None)
    report = make_report(cast, state="published")
    _adopt(report, cast, "市政府", RecipientLevel.MUNICIPAL)
    _adopt(report, cast, "全国政协", RecipientLevel.NATIONAL)
    assert kinds(cast.member.member_id)["adopted"] == Decimal(25)


def test_it_scores_combined_and_transfer_adoptions_at_their_fractions(cast, live):
    make_rules(item_cap=None, year_cap=None, highest_level_only=False)
    report = make_report(cast, state="published")
    _adopt(report, cast, "全国政协", RecipientLevel.NATIONAL, kind="combined")
    _adopt(report, cast, "某局", RecipientLevel.DEPARTMENT, kind="transfer")
    # 20 × 0.5 + 2 × 0.3
    assert kinds(cast.member.member_id)["adopted"] == Decimal("10.60")


def test_it_scores_instructions_by_level(cast, live):
    make_rules(item_cap=None, year_cap=None)
    report = make_report(cast, state="published")
    forwarding = report.forwardings.first()
    do_record_instruction(
        forwarding,
        cast.editor,
        leader_name="王",
        leader_title="市长",
        level="municipal",
        text="请研究。",
        instructed_on=clock.localdate(),
    )
    assert kinds(cast.member.member_id)["instructed"] == Decimal(10)


def test_it_gives_the_urgent_bonus_when_adopted_within_the_deadline(cast, live):
    make_rules(item_cap=None, year_cap=None, urgent_within_days=3)
    report = make_report(cast, state="signed_off", urgency=Urgency.URGENT)
    transition(report, "send_directly", cast.editor)
    _adopt(report, cast, "市委", RecipientLevel.MUNICIPAL)
    found = kinds(cast.member.member_id)
    assert found["sent_directly"] == Decimal(3)
    assert found["urgent_adopted"] == Decimal(2)


def test_it_splits_points_by_the_lead_share(cast, live):
    make_rules(lead_share="0.6", item_cap=None, year_cap=None)
    report = make_report(cast, state="draft")
    from minyi.reports.actions import set_authors

    set_authors(report, [cast.member.member, cast.officer.member, cast.outsider.member])
    from minyi.reports.actions import do_submit

    do_submit(report, cast.member)
    publish(cast, [make_report(cast, state="signed_off")])
    shares = dict(
        Score.objects.filter(report=report, kind="submitted").values_list("member_id", "share")
    )
    assert shares == {
        cast.member.member_id: Decimal("0.60"),
        cast.officer.member_id: Decimal("0.20"),
        cast.outsider.member_id: Decimal("0.20"),
    }
    assert sum(shares.values()) == 1


def test_it_caps_points_per_item_and_per_year(cast, live):
    make_rules(item_cap="6", year_cap="8", highest_level_only=False)
    first = make_report(cast, state="published")
    _adopt(first, cast, "市委", RecipientLevel.MUNICIPAL)  # 1 + 3 + 5 = 9, capped at 6
    assert points_of(cast.member.member_id) == Decimal(6)
    make_report(cast, state="published")  # 4 more, but only 2 are left under the year cap
    assert points_of(cast.member.member_id) == Decimal(8)
    assert Score.objects.filter(note__contains="单篇封顶").exists()
    assert Score.objects.filter(note__contains="年度封顶").exists()


def test_it_keeps_credit_for_the_authors_of_a_merged_duplicate(cast, live):
    make_rules(item_cap=None, year_cap=None)
    original = make_report(cast, state="accepted")
    duplicate = make_report(cast, by=cast.outsider, state="submitted", unit=cast.other_unit)
    do_mark_duplicate(duplicate, cast.editor, original=original)
    transition(original, "send_for_sign_off", cast.editor)
    transition(original, "sign_off", cast.approver)
    publish(cast, [original])
    # The outsider's byline now rides on the original, so its publication credits them too.
    assert kinds(cast.outsider.member_id)["published"] > 0


def test_it_multiplies_points_in_a_campaign_and_adds_the_commission_bonus(cast, live):
    from minyi.scoring.actions import do_save_campaign
    from tests.scoring.helpers import make_admin

    make_rules(item_cap=None, year_cap=None)
    today = clock.localdate()
    do_save_campaign(
        make_admin(),
        None,
        fields={
            "name": "约稿",
            "kind": "commission",
            "theme": "",
            "topics": "",
            "starts_on": today,
            "ends_on": today,
            "multiplier": Decimal("2"),
        },
        quotas={cast.unit.pk: 2},
    )
    make_report(cast, state="submitted")
    found = kinds(cast.member.member_id)
    assert found == {"submitted": Decimal(2), "commissioned": Decimal(4)}
