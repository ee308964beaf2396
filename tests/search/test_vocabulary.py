"""Organisation names join the segmentation dictionary at start-up and when saved."""

from __future__ import annotations

import pytest

from minyi.outcomes.models import Recipient
from minyi.people.models import Organization
from minyi.search.vocabulary import organisation_words
from minyi.textlab.segment import segment, set_word_source
from tests.search.helpers import found, indexed

pytestmark = pytest.mark.django_db

UNIT = "青石湾街道睦邻互助促进会"
SHORT = "睦邻互助会"
RECIPIENT = "市乡村振兴联席办"


def test_a_saved_unit_keeps_its_name_and_short_name_whole(cast):
    assert UNIT not in segment(f"{UNIT}反映")
    Organization.objects.create(name=UNIT, short_name=SHORT, kind=cast.unit.kind)
    assert UNIT in segment(f"{UNIT}反映情况")
    assert SHORT in segment(f"据{SHORT}反映")


def test_a_saved_recipient_name_is_kept_whole(cast):
    Recipient.objects.create(name=RECIPIENT, level=cast.recipients[0].level)
    assert RECIPIENT in segment(f"报送{RECIPIENT}研究")


def test_start_up_reads_every_unit_and_recipient_from_the_database(cast):
    words = set(organisation_words())
    assert {cast.unit.name, cast.other_unit.name} <= words
    assert {r.name for r in cast.recipients} <= words
    # A fresh tokenizer (a new process) starts with them.
    set_word_source(organisation_words)
    assert cast.unit.name in segment(f"{cast.unit.name}委员反映")


def test_search_finds_a_report_by_a_units_name_added_before_it_was_written(cast, client_for):
    Organization.objects.create(name=UNIT, kind=cast.unit.kind)
    report = indexed(cast, f"{UNIT}反映社区助老服务不足")
    assert found(client_for(cast.editor), UNIT) == [report.pk]
