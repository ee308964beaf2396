"""Facts about the request that domain code records, read in one place."""

from __future__ import annotations

from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The address recorded on events (the proxy in front must set REMOTE_ADDR)."""
    return request.META.get("REMOTE_ADDR")
