"""Facts about the request that domain code records, read in one place.

``RequestFactsMiddleware`` notes the client's address and user agent once per
request; ``audit.record()`` reads them from here, so every event written while a
request is served carries them without each view passing them down.

``parse_ids`` reads ids from a query string or form, bounded, for every view.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse

#: Long enough for any real browser's string, short enough to bound a hostile one.
USER_AGENT_LIMIT = 300
#: Hops of X-Forwarded-For looked at, from the right: a long forged header costs nothing.
FORWARDED_HOPS = 10

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class RequestFacts:
    ip: str | None = None
    user_agent: str = ""


NO_REQUEST = RequestFacts()
_current: ContextVar[RequestFacts] = ContextVar("minyi_request_facts", default=NO_REQUEST)


def _address(text: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address: IPAddress | None, proxies: list[IPNetwork]) -> bool:
    return address is None or any(address in network for network in proxies)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as recorded on events: a valid IP, or None.

    ``REMOTE_ADDR`` is the peer of the socket. Behind a reverse proxy that is the
    proxy (or nothing, over a Unix socket), so when the peer is one of
    ``MINYI_TRUSTED_PROXIES`` the address comes from ``X-Forwarded-For``, read
    from the right: the first hop that is not a trusted proxy is the client. A
    client cannot forge its way past that hop, since a trusted proxy appends the
    address it saw. Anything that is not an IP address is not recorded as one.
    """
    peer = _address(str(request.META.get("REMOTE_ADDR") or ""))
    proxies = settings.TRUSTED_PROXIES
    if proxies and _trusted(peer, proxies):
        hops = str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")[-FORWARDED_HOPS:]
        for hop in reversed(hops):
            found = _address(hop)
            if found is not None and not _trusted(found, proxies):
                return str(found)
    return str(peer) if peer is not None else None


def user_agent(request: HttpRequest) -> str:
    return str(request.META.get("HTTP_USER_AGENT", ""))[:USER_AGENT_LIMIT]


def current_facts() -> RequestFacts:
    """The facts of the request being served in this thread, or empty ones outside a request."""
    return _current.get()


@contextmanager
def serving(request: HttpRequest) -> Iterator[RequestFacts]:
    """While ``request`` is served, events recorded in this thread carry its facts."""
    facts = RequestFacts(ip=client_ip(request), user_agent=user_agent(request))
    token = _current.set(facts)
    try:
        yield facts
    finally:
        _current.reset(token)


class RequestFactsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with serving(request):
            return self.get_response(request)


#: The largest primary key either database can hold (a signed 64-bit integer).
MAX_ID = 2**63 - 1
#: More ids than any page offers at once (a queue, a composer's picks, a checklist).
MAX_IDS = 500


class InvalidIds(ValueError):
    """Ids that are not positive whole numbers within range, or too many of them."""


def check_ids(values: Iterable[str], *, limit: int = MAX_IDS) -> list[int]:
    """Turn submitted ids into ints, in order and without repeats; ``InvalidIds`` (Chinese) if bad.

    A database refuses an integer outside its range with an error of its own
    (SQLite: OverflowError; PostgreSQL: out of range), so bound every id here,
    before any query sees it. Blank values (an unticked "none" option) are skipped.
    """
    ids: dict[int, None] = {}
    for raw in values:
        text = str(raw).strip()
        if not text:
            continue
        if (
            not text.isascii()
            or not text.isdigit()
            or len(text) > 19
            or not 0 < int(text) <= MAX_ID
        ):
            raise InvalidIds(f"编号“{text[:30]}”无效：编号应为正整数。请返回上一页刷新后重试。")
        ids[int(text)] = None
        if len(ids) > limit:
            raise InvalidIds(f"一次最多处理 {limit} 项，请分批操作。")
    return list(ids)


def parse_ids(values: Iterable[str], *, limit: int = MAX_IDS) -> list[int]:
    """``check_ids`` for a view: bad ids answer 400 with the Chinese message (core.views)."""
    try:
        return check_ids(values, limit=limit)
    except InvalidIds as exc:
        raise BadRequest(str(exc)) from exc
