"""Form fields that bound what a browser may submit before any query sees it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from minyi.core.http import InvalidIds, check_ids


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of rows whose submitted ids are checked first.

    Django passes the raw values to ``pk__in``; an id beyond the database's
    integer range then fails inside the database (a 500), not as a form error.
    """

    def _check_values(self, value: Iterable[Any]) -> Any:
        try:
            check_ids(str(v) for v in value)
        except InvalidIds as exc:
            raise ValidationError(str(exc), code="invalid_pk_value") from exc
        return super()._check_values(value)


#: The dates a filter or form accepts by default. Wider than any report's date,
#: narrow enough that "the day after", "the day before" and the shift from local
#: time to UTC stay inside Python's years 1..9999 (9999-12-31 + 1 day is a 500).
FIRST_YEAR, LAST_YEAR = 2000, 2100


def date_range_message(first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR) -> str:
    return f"日期超出可选范围（{first_year}年—{last_year}年）。"


class BoundedDateField(forms.DateField):
    """A date field that refuses years outside ``first_year``..``last_year`` as a field error."""

    def __init__(
        self, *args: Any, first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.first_year, self.last_year = first_year, last_year

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and not self.first_year <= value.year <= self.last_year:
            message = date_range_message(self.first_year, self.last_year)
            raise ValidationError(message, code="out_of_range")
