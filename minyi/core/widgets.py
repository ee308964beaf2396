"""Choice widgets for long member lists, built in Python instead of one template per option.

Django renders every ``<option>`` and checkbox through its own template include; with
3,000 members that is most of a second per page (届次与换届 lists every serving member,
特约信息员聘任 offers every active one, 约稿 every active member). These widgets write the
same markup as Django's ``select.html`` and ``multiple_input.html`` with ``format_html``, so
the page, its ids and what the browser posts stay as they were. Grouped choices are left to Django.
"""

from __future__ import annotations

from html import escape
from typing import Any

from django import forms
from django.forms.widgets import ChoiceWidget
from django.utils.safestring import SafeData, SafeString, mark_safe


def _text(value: Any) -> str:
    # As the template's autoescape: text already marked safe is left alone.
    return value if isinstance(value, SafeData) else escape(str(value))


def _attrs(attrs: dict[str, Any]) -> str:
    # As Django's ``attrs.html``: ``True`` is a bare name, ``False`` and ``None`` are left out.
    return "".join(
        f" {_text(key)}" if value is True else f' {_text(key)}="{_text(value)}"'
        for key, value in attrs.items()
        if value is not False and value is not None
    )


def _flat(widget: forms.ChoiceWidget) -> list[tuple[str, Any]] | None:
    """The choices as (value, label) once (one query), or ``None`` when any are grouped."""
    choices = [("" if value is None else str(value), label) for value, label in widget.choices]
    if any(isinstance(label, list | tuple) for _, label in choices):
        return None
    return choices


class _Quick(ChoiceWidget):
    """The shared render: flat choices are joined by ``join``, grouped ones left to Django."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        choices = _flat(self)
        if choices is None:
            return super().render(name, value, attrs, renderer)
        html = self.join(name, choices, set(self.format_value(value)), attrs)
        return mark_safe(html)  # noqa: S308 -- ``join`` escapes every value

    def join(
        self,
        name: str,
        choices: list[tuple[str, Any]],
        chosen: set[str],
        attrs: dict[str, Any] | None,
    ) -> str:
        raise NotImplementedError


class QuickSelect(_Quick, forms.Select):
    """``forms.Select`` whose options are joined in Python (same HTML as Django's)."""

    def join(
        self,
        name: str,
        choices: list[tuple[str, Any]],
        chosen: set[str],
        attrs: dict[str, Any] | None,
    ) -> str:
        parts = [f'<select name="{_text(name)}"{_attrs(self.build_attrs(self.attrs, attrs))}>']
        has_selected = False
        for option, label in choices:
            # A single select marks only the first match, as Django's ``optgroups`` does.
            selected = (not has_selected or self.allow_multiple_selected) and option in chosen
            has_selected |= selected
            mark = " selected" if selected else ""
            parts.append(f'\n  <option value="{_text(option)}"{mark}>{_text(label)}</option>')
        parts.append("\n</select>")
        return "".join(parts)


class QuickSelectMultiple(QuickSelect, forms.SelectMultiple):
    """``forms.SelectMultiple`` whose options are joined in Python (same HTML as Django's)."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        # Django's ``get_context`` adds ``multiple`` after the other attributes.
        return super().render(name, value, {**(attrs or {}), "multiple": True}, renderer)


class QuickCheckboxes(_Quick, forms.CheckboxSelectMultiple):
    """``forms.CheckboxSelectMultiple`` whose boxes are joined in Python (same HTML)."""

    def join(
        self,
        name: str,
        choices: list[tuple[str, Any]],
        chosen: set[str],
        attrs: dict[str, Any] | None,
    ) -> str:
        box = self.build_attrs(self.attrs, attrs)
        box_id = box.get("id")
        parts = [f"<div{_attrs({'id': box_id, 'class': box.get('class')})}>"]
        for index, (option, label) in enumerate(choices):
            # Each box inherits the widget's attributes, its id numbered as Django numbers it.
            own = {**box, "id": f"{box_id}_{index}" if box_id else None}
            own["checked"] = option in chosen
            parts.append(
                f'<div>\n    <label{_attrs({"for": own["id"]})}><input type="checkbox"'
                f' name="{_text(name)}" value="{_text(option)}"{_attrs(own)}>'
                f" {_text(label)}</label></div>"
            )
        parts.append("\n</div>")
        return "".join(parts)
