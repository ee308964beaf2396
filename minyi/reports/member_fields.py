"""Author fields that search members instead of listing them all.

An office user may credit any member of any unit: with 3,000 members the two ``<select>``s of
the report form (第一反映人, 联名反映人) drew 6,000 ``<option>``s, seconds of rendering. Above
``MEMBER_SELECT_MAX`` members the form uses these fields instead: a text input whose
suggestions (a ``<datalist>``) are fetched as one types from the member search page, and, for
the co-signers, one member a line in a text area (a search box above it adds the member picked;
without JavaScript one types the names). The server resolves what was typed among the members
the user may credit, and says in Chinese what it could not resolve.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse

from minyi.core.http import InvalidIds, check_ids
from minyi.people.models import Member

#: Up to this many members the form keeps its two lists (a unit's members on a phone).
MEMBER_SELECT_MAX = 200
#: Suggestions shown for what has been typed.
SUGGESTIONS = 20
#: Co-signers one report may credit.
MAX_COSIGNERS = 50

_ID_TAIL = re.compile(r"#\s*(\d+)\s*$")
_SEPARATORS = re.compile(r"[\n\r、，,；;]+")


def member_label(member: Member) -> str:
    return f"{member.name}（{member.sector}）" if member.sector_id else member.name


def member_token(member: Member) -> str:
    """What a suggestion puts in the field: the label, and the id that makes it unique."""
    return f"{member_label(member)} #{member.pk}"


def search_members(members: QuerySet[Member], text: str) -> list[Member]:
    """Members among ``members`` whose name contains what was typed (a label or token too)."""
    name = _ID_TAIL.sub("", text).split("（")[0].strip()
    if not name:
        return []
    found = members.filter(name__contains=name).select_related("sector")
    return list(found.order_by("name", "id")[:SUGGESTIONS])


def resolve_member(members: QuerySet[Member], text: str) -> Member:
    """The one member ``text`` names among ``members``: by ``#id``, label, or name alone."""
    text = text.strip()
    tail = _ID_TAIL.search(text)
    if tail or text.isdigit():
        pk = tail.group(1) if tail else text
        try:
            check_ids([pk])
        except InvalidIds:
            pk = "0"
        found = members.filter(pk=pk).select_related("sector").first()
        if found is None:
            raise ValidationError(f"没有找到委员“{text}”，请从列表中选择。")
        return found
    name = text.split("（")[0].strip()
    candidates = list(members.filter(name=name).select_related("sector")[:10])
    if name != text:  # the sector was given too
        candidates = [m for m in candidates if member_label(m) == text]
    if not candidates:
        raise ValidationError(f"没有找到委员“{text}”，请输入姓名后从列表中选择。")
    if len(candidates) > 1:
        raise ValidationError(
            f"有 {len(candidates)} 位委员名为“{text}”，请从列表中选择（带编号）。"
        )
    return candidates[0]


def _search_attrs(list_id: str) -> dict[str, str]:
    return {
        "list": list_id,
        "autocomplete": "off",
        "hx-get": reverse("reports:member_search"),
        "hx-trigger": "input changed delay:300ms",
        "hx-target": f"#{list_id}",
        "hx-swap": "innerHTML",
    }


class MemberSearchInput(forms.TextInput):
    template_name = "reports/widgets/member_search.html"

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        list_id = f"{context['widget']['attrs'].get('id', name)}-options"
        context["widget"]["attrs"].update(_search_attrs(list_id))
        context["widget"]["list_id"] = list_id
        return context


class MembersSearchArea(forms.Textarea):
    template_name = "reports/widgets/members_search.html"

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        area_id = context["widget"]["attrs"].get("id", name)
        list_id = f"{area_id}-options"
        context["widget"]["attrs"]["rows"] = 3
        context["widget"]["find"] = {"id": f"{area_id}-find", "name": f"{name}_find"}
        context["widget"]["find_attrs"] = {**_search_attrs(list_id), "data-append-to": area_id}
        context["widget"]["list_id"] = list_id
        return context


class MemberSearchField(forms.Field):
    """One member, typed and resolved among ``members``; blank is none."""

    widget = MemberSearchInput

    def __init__(self, *, members: QuerySet[Member], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.members = members

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Member):
            return member_token(value)
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            found = self.members.filter(pk=value).select_related("sector").first()
            return member_token(found) if found else value
        return value

    def clean(self, value: Any) -> Member | None:
        text = (value or "").strip()
        if not text:
            return None
        return resolve_member(self.members, text)


class MembersSearchField(forms.Field):
    """Members one a line (or separated by 、，,；), each resolved among ``members``."""

    widget = MembersSearchArea

    def __init__(self, *, members: QuerySet[Member], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.members = members

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, (list, tuple)):
            ids = [v.pk if isinstance(v, Member) else v for v in value]
            found = self.members.filter(pk__in=ids).select_related("sector").in_bulk()
            return "\n".join(member_token(found[i]) for i in ids if i in found)
        return value

    def clean(self, value: Any) -> list[Member]:
        parts = [p.strip() for p in _SEPARATORS.split(value or "") if p.strip()]
        if len(parts) > MAX_COSIGNERS:
            raise ValidationError(f"联名反映人最多 {MAX_COSIGNERS} 位。")
        chosen: list[Member] = []
        problems: list[str] = []
        for part in parts:
            try:
                member = resolve_member(self.members, part)
            except ValidationError as error:
                problems += error.messages
            else:
                if member not in chosen:
                    chosen.append(member)
        if problems:
            raise ValidationError(problems)
        return chosen
