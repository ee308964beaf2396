"""The quick choice widgets write the same HTML as Django's, escaped, with the same ids."""

from __future__ import annotations

from django import forms
from django.test.html import parse_html

from minyi.core.widgets import QuickCheckboxes, QuickSelect, QuickSelectMultiple

CHOICES = [("", "---------"), (1, "张明"), (2, '<b>李&"华</b>'), (3, "王芳")]


def _same(quick: forms.Widget, django: forms.Widget, value, attrs) -> str:
    html = quick.render("member", value, attrs)
    assert parse_html(html) == parse_html(django.render("member", value, attrs))
    return html


def test_the_select_matches_django_with_the_choice_marked_and_labels_escaped():
    for value in (None, "", 2, "3", 99):
        html = _same(
            QuickSelect(choices=CHOICES),
            forms.Select(choices=CHOICES),
            value,
            {"id": "id_member", "required": True},
        )
    assert "&lt;b&gt;李&amp;&quot;华&lt;/b&gt;" in html and "<b>" not in html


def test_the_multiple_select_matches_django_with_every_choice_marked():
    for value in (None, [], [1, 3], ["2"], [99]):
        html = _same(
            QuickSelectMultiple(choices=CHOICES[1:]),
            forms.SelectMultiple(choices=CHOICES[1:]),
            value,
            {"id": "id_members"},
        )
    assert html.startswith('<select name="member" id="id_members" multiple>')
    multiple = QuickSelectMultiple(choices=CHOICES[1:]).render("member", [1, 3], {})
    assert multiple.count(" selected") == 2


def test_the_checkboxes_match_django_with_numbered_ids_and_the_boxes_checked():
    choices = CHOICES[1:]
    for value in (None, [], [1, 3], ["2"]):
        html = _same(
            QuickCheckboxes(choices=choices),
            forms.CheckboxSelectMultiple(choices=choices),
            value,
            {"id": "id_continuing"},
        )
    assert 'for="id_continuing_1"' in html and "&lt;b&gt;" in html


def test_grouped_choices_are_left_to_django():
    grouped = [("第一组", [(1, "张明")]), ("第二组", [(2, "王芳")])]
    for quick, django in (
        (QuickSelect(choices=grouped), forms.Select(choices=grouped)),
        (QuickCheckboxes(choices=grouped), forms.CheckboxSelectMultiple(choices=grouped)),
    ):
        _same(quick, django, [2], {"id": "id_member"})
