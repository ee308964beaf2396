from __future__ import annotations

import pytest
from django.db import transaction

from minyi.core.models import next_number


@pytest.mark.django_db
def test_it_numbers_each_key_and_year_from_one_without_gaps():
    with transaction.atomic():
        numbers = [next_number("issue:1", 2026) for _ in range(3)]
        other = [next_number("issue:2", 2026), next_number("issue:1", 2027)]
    assert numbers == [1, 2, 3]
    assert other == [1, 1]


@pytest.mark.django_db(transaction=True)
def test_it_refuses_to_number_outside_a_transaction():
    with pytest.raises(RuntimeError, match="inside transaction.atomic"):
        next_number("issue:1", 2026)


@pytest.mark.django_db
def test_it_gives_the_number_back_when_the_transaction_rolls_back():
    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        next_number("report", 2026)
        raise Boom
    with transaction.atomic():
        # A rolled-back number is reused, so the sequence has no gap.
        assert next_number("report", 2026) == 1
