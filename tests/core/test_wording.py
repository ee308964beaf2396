"""Overlong input is refused in one wording everywhere: "…最多N字，现有M字，请删减。"."""

from __future__ import annotations

import pytest
from django import forms

from minyi.audit.statemachine import ActionRefused
from minyi.core.wording import too_long
from minyi.reports.opinions import clean_opinion
from minyi.scoring.actions import do_file_objection
from minyi.scoring.models import Objection
from tests.core.test_length_messages import _form_classes


def test_too_long_names_the_field_the_limit_and_the_length():
    assert too_long("签发意见", 500, 612) == "签发意见最多500字，现有612字，请删减。"


def test_every_length_limited_form_field_uses_the_standard_wording():
    for form_class in _form_classes():
        for name, field in form_class.base_fields.items():
            limit = getattr(field, "max_length", None)
            if not isinstance(field, forms.CharField) or not limit:
                continue
            with pytest.raises(forms.ValidationError) as refused:
                field.clean("字" * (limit + 1))
            message = " ".join(refused.value.messages)
            assert f"最多{limit}字，现有{limit + 1}字，请删减。" in message, (
                f"{form_class.__name__}.{name}: {message}"
            )


def test_an_overlong_sign_off_opinion_is_refused_in_the_standard_wording():
    with pytest.raises(ValueError, match="^签发意见最多500字，现有501字，请删减。$"):
        clean_opinion("同" * 501)


@pytest.mark.django_db
def test_an_overlong_objection_is_refused_in_the_standard_wording_and_not_stored(cast):
    with pytest.raises(ActionRefused, match="申诉理由最多1000字，现有1001字，请删减。"):
        do_file_objection(cast.member, year=2026, text="诉" * 1001)
    assert not Objection.objects.exists()
