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
