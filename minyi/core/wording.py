"""Messages every form says the same way (the zh_Hans catalog's wording for Django's own)."""

from __future__ import annotations

import unicodedata


def too_long(label: str, limit: int, length: int) -> str:
    """ "签发意见最多500字，现有612字，请删减。": the standard overlong-input message."""
    return f"{label}最多{limit}字，现有{length}字，请删减。"


def max_length_message(label: str) -> str:
    """The same message as a form field's ``max_length`` error (Django fills in the numbers)."""
    return f"{label}最多%(limit_value)d字，现有%(show_value)d字，请删减。"


def printable(text: str) -> str:
    """``text`` without control characters, for echoing what a browser sent back to it.

    A ``%00`` in a query string would otherwise show as "�" inside a message.
    """
    return "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf", "Cs"))
