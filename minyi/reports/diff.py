"""Character-level diff of two texts as HTML, for Chinese prose (no word boundaries)."""

from __future__ import annotations

from difflib import SequenceMatcher

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def render_diff(old: str, new: str) -> SafeString:
    """Return ``new`` with insertions in <ins> and deletions in <del>, HTML-escaped."""
    parts: list[str] = []
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape(new[b0:b1]))
            continue
        if op in ("delete", "replace"):
            parts.append(f"<del>{escape(old[a0:a1])}</del>")
        if op in ("insert", "replace"):
            parts.append(f"<ins>{escape(new[b0:b1])}</ins>")
    return mark_safe("".join(parts))  # noqa: S308  (every piece is escaped above)


def revision_diff(old: dict[str, str], new: dict[str, str]) -> dict[str, SafeString]:
    """Diff each text field of two revisions (``Revision.text_fields()`` dicts)."""
    return {name: render_diff(old.get(name, ""), new.get(name, "")) for name in new}
