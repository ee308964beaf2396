"""Facts about the request that domain code records, read in one place.

``RequestFactsMiddleware`` notes the client's address and user agent once per
request; ``audit.record()`` reads them from here, so every event written while a
request is served carries them without each view passing them down.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse

#: Long enough for any real browser's string, short enough to bound a hostile one.
USER_AGENT_LIMIT = 300


@dataclass(frozen=True)
class RequestFacts:
    ip: str | None = None
    user_agent: str = ""


NO_REQUEST = RequestFacts()
_current: ContextVar[RequestFacts] = ContextVar("minyi_request_facts", default=NO_REQUEST)


def client_ip(request: HttpRequest) -> str | None:
    """The address recorded on events (the proxy in front must set REMOTE_ADDR)."""
    return request.META.get("REMOTE_ADDR")


def user_agent(request: HttpRequest) -> str:
    return str(request.META.get("HTTP_USER_AGENT", ""))[:USER_AGENT_LIMIT]


def current_facts() -> RequestFacts:
    """The facts of the request being served in this thread, or empty ones outside a request."""
    return _current.get()


class RequestFactsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _current.set(RequestFacts(ip=client_ip(request), user_agent=user_agent(request)))
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)
