"""Overlong (or too short) input is refused in the project's Chinese, in every form.

Django's stock zh-hans wording ("确保该变量包含不超过 200 字符 (目前字符数 5400)") is replaced
once, by the catalog in minyi/core/locale, for every form and model field.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.urls import reverse

import minyi
from minyi.audit.models import Event
from minyi.deadlines.models import CalendarOverride
from minyi.people.models import Role
from minyi.reports.models import Report
from tests.factories import make_report, make_user

STOCK = "确保该变量"


def _form_classes() -> list[type[forms.BaseForm]]:
    """Every form class the project defines (modules named forms*.py under minyi)."""
    found = []
    for info in pkgutil.walk_packages(minyi.__path__, "minyi."):
        if info.name.rsplit(".", 1)[-1].startswith("forms"):
            module = importlib.import_module(info.name)
            found += [
                cls
                for _, cls in inspect.getmembers(module, inspect.isclass)
                if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__
            ]
    return found


def test_every_length_limited_text_field_of_every_form_says_how_much_to_cut():
    checked = 0
    for form_class in _form_classes():
        for name, field in form_class.base_fields.items():
            limit = getattr(field, "max_length", None)
            if not isinstance(field, forms.CharField) or not limit:
                continue
            with pytest.raises(forms.ValidationError) as refused:
                field.clean("字" * (limit + 1))
            message = " ".join(refused.value.messages)
            assert STOCK not in message, f"{form_class.__name__}.{name}: {message}"
            assert "字" in message, f"{form_class.__name__}.{name}: {message}"
            checked += 1
    assert checked > 20


def test_the_default_wording_names_the_limit_and_the_length():
    field = forms.CharField(max_length=200)
    with pytest.raises(forms.ValidationError) as refused:
        field.clean("x" * 5400)
    assert refused.value.messages == ["最多200字，现有5400字，请删减。"]
    with pytest.raises(forms.ValidationError) as short:
        forms.CharField(min_length=5).clean("xy")
    assert short.value.messages == ["至少5字，现有2字，请补充。"]


@pytest.mark.django_db
def test_an_overlong_confidentiality_note_is_refused_and_nothing_changes(cast, client_for):
    report = make_report(cast, state="accepted")
    before = Event.objects.count()
    response = client_for(cast.editor).post(
        reverse("office:confidentiality", args=[report.pk]),
        {"level": "internal", "note": "说" * 5400},
        follow=True,
    )
    page = response.content.decode()
    assert "最多200字，现有5400字，请删减。" in page and STOCK not in page
    assert Report.objects.get(pk=report.pk).confidentiality == ""
    assert Event.objects.count() == before


@pytest.mark.django_db
def test_an_overlong_decline_note_is_refused_and_nothing_changes(cast, client_for):
    report = make_report(cast, state="submitted")
    response = client_for(cast.editor).post(
        reverse("office:act", args=[report.pk, "decline"]),
        {"reason": "outdated", "note": "说" * 5400},
        follow=True,
    )
    page = response.content.decode()
    assert "最多1000字，现有5400字，请删减。" in page and STOCK not in page
    assert Report.objects.get(pk=report.pk).state == "submitted"


@pytest.mark.django_db
def test_an_overlong_holiday_notice_is_refused_and_nothing_is_stored(cast, client_for):
    admin = make_user("admin", Role.ADMIN, display_name="系统管理员")
    response = client_for(admin).post(
        reverse("deadlines:holidays"), {"year": "2027", "text": "1月1日 放假\n" * 3000, "save": "1"}
    )
    page = response.content.decode()
    assert response.status_code == 200  # the form comes back with its error, like every form
    # 3000 lines of 8 characters, less the last newline (stripped by the field).
    assert "最多20000字，现有23999字，请删减。" in page and STOCK not in page
    assert not CalendarOverride.objects.exists()
