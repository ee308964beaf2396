"""Forms for the bulletin pages: the reader's filters and the composer's input.

Forms only parse what was typed. Whether a report may go into an issue, or an
issue may be sent or signed off, is decided by ``bulletins.actions`` so each
refusal is worded in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import QueryDict

from minyi.audit.statemachine import ActionRefused
from minyi.bulletins.models import Bulletin, IssueQuerySet
from minyi.core.http import InvalidIds, check_ids


class ReaderFilterForm(forms.Form):
    bulletin = forms.ModelChoiceField(
        label="刊物", required=False, queryset=Bulletin.objects.all(), empty_label="全部刊物"
    )
    year = forms.TypedChoiceField(label="年份", required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, issues: IssueQuerySet, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        years = issues.order_by("-year").values_list("year", flat=True).distinct()
        self.fields["year"].choices = [("", "全部年份")] + [(y, f"{y}年") for y in years]

    def apply(self, issues: IssueQuerySet) -> IssueQuerySet:
        # An invalid filter (a year with no issues, a stale series) shows everything.
        if not self.is_valid():
            return issues
        if self.cleaned_data["bulletin"]:
            issues = issues.filter(bulletin=self.cleaned_data["bulletin"])
        if self.cleaned_data["year"]:
            issues = issues.filter(year=self.cleaned_data["year"])
        return issues


def ids(values: list[str]) -> list[int]:
    """The ids of a multi-value field, in order, without repeats; bad ones are refused."""
    try:
        return check_ids(values)
    except InvalidIds as exc:
        raise ActionRefused(str(exc)) from exc


@dataclass
class Composition:
    """What the composer submitted: picked reports in their order, and recipients."""

    report_ids: list[int]
    orders: dict[int, str]
    main_ids: list[int]
    copy_ids: list[int]


def parse_composition(data: QueryDict) -> Composition:
    """Read the composer's POST; raise ``ActionRefused`` on an unreadable order number.

    Items are sorted by the number typed beside them; items left blank keep the
    order in which they are listed, after the numbered ones.
    """
    picked = ids(data.getlist("reports"))
    orders = {pk: data.get(f"order-{pk}", "").strip() for pk in picked}
    for value in orders.values():
        if value and not (value.isascii() and value.isdigit() and len(value) <= 6):
            raise ActionRefused("顺序请填写正整数，如 1、2、3。")

    def key(pk: int) -> tuple[int, int, int]:
        value = orders[pk]
        return (0, int(value), picked.index(pk)) if value else (1, 0, picked.index(pk))

    return Composition(
        report_ids=sorted(picked, key=key),
        orders=orders,
        main_ids=ids(data.getlist("main")),
        copy_ids=ids(data.getlist("copy")),
    )
