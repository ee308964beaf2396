"""Category choices for every form: grouped by first level (<optgroup>) and sorted.

One helper, so the member's form, the workbench, the triage filter, search and
import all list categories alike: first levels in the office's order (排序, then
name), each one's sub-categories under it in the same order. A first level with
sub-categories is itself selectable only where it means "this and all under it"
(the list filters, ``parents_selectable``); a report is filed under a leaf.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from django import forms

from minyi.reports.models import Category

Choice = tuple[Any, Any]


def _order(category: Category) -> tuple[int, str, int]:
    return (category.sort_order, category.name, category.pk)


def grouped_category_choices(
    categories: Iterable[Category], *, parents_selectable: bool = False
) -> list[Choice]:
    """(value, label) and (group label, [(value, label), …]) pairs, sorted at each level."""
    categories = list(categories)
    children: dict[int, list[Category]] = defaultdict(list)
    for category in categories:
        if category.parent_id is not None:
            children[category.parent_id].append(category)
    choices: list[Choice] = []
    for parent in sorted((c for c in categories if c.parent_id is None), key=_order):
        kids = sorted(children.get(parent.pk, []), key=_order)
        if not kids:
            choices.append((parent.pk, parent.name))
            continue
        group = [(parent.pk, f"{parent.name}（全部）")] if parents_selectable else []
        choices.append((parent.name, group + [(kid.pk, kid.name) for kid in kids]))
    return choices


class _GroupedIterator(forms.models.ModelChoiceIterator):
    def __iter__(self) -> Iterator[Choice]:
        field: CategoryChoiceField = self.field  # type: ignore[assignment]
        if field.empty_label is not None:
            yield ("", field.empty_label)
        # Read at render time, so a category added in the admin shows without a restart.
        yield from grouped_category_choices(
            Category.objects.all(), parents_selectable=field.parents_selectable
        )


class CategoryChoiceField(forms.ModelChoiceField):
    """A category picker grouped by first level and sorted; validates against all categories."""

    iterator = _GroupedIterator

    def __init__(self, *, parents_selectable: bool = False, **kwargs: Any) -> None:
        self.parents_selectable = parents_selectable
        kwargs.setdefault("queryset", Category.objects.select_related("parent"))
        kwargs.setdefault("error_messages", {"invalid_choice": "所选类别不存在，请重新选择。"})
        super().__init__(**kwargs)
