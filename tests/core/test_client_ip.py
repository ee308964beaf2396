"""The client's address on events: REMOTE_ADDR, or X-Forwarded-For behind a trusted proxy."""

from __future__ import annotations

import ipaddress

import pytest
from django.test import RequestFactory
from django.urls import reverse

from minyi.audit.models import Event, verify_chain
from minyi.core.http import client_ip
from tests.factories import make_report

NGINX = "10.0.0.2"


@pytest.fixture
def behind_nginx(settings):
    settings.TRUSTED_PROXIES = [ipaddress.ip_network(NGINX), ipaddress.ip_network("fd00::/8")]


def ip_of(remote: str | None, forwarded: str | None = None) -> str | None:
    meta = {}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    request = RequestFactory().get("/", **meta)
    if remote is None:
        del request.META["REMOTE_ADDR"]
    else:
        request.META["REMOTE_ADDR"] = remote
    return client_ip(request)


def test_without_proxies_the_peer_is_the_client_and_forwarded_headers_are_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert ip_of("198.51.100.4", "203.0.113.1") == "198.51.100.4"
    assert ip_of("2001:db8::1") == "2001:db8::1"


@pytest.mark.parametrize("remote", ["", "unix:/run/minyi.sock", None])
def test_what_is_not_an_address_is_not_recorded_as_one(settings, remote):
    settings.TRUSTED_PROXIES = []
    assert ip_of(remote) is None


def test_behind_a_trusted_proxy_the_last_untrusted_hop_is_the_client(behind_nginx):
    assert ip_of(NGINX, "203.0.113.9") == "203.0.113.9"
    # A client that forges a first hop does not get past the proxy's own entry.
    assert ip_of(NGINX, "1.2.3.4, 203.0.113.9") == "203.0.113.9"
    # Over a Unix socket the peer is empty: the proxy.
    assert ip_of("", "203.0.113.9") == "203.0.113.9"
    # Nothing usable forwarded: the proxy's own address, or none.
    assert ip_of(NGINX, "garbage") == NGINX
    assert ip_of("", "") is None


def test_a_request_not_through_the_proxy_keeps_its_own_address(behind_nginx):
    assert ip_of("198.51.100.4", "203.0.113.9") == "198.51.100.4"


def test_events_behind_the_proxy_record_the_client_and_still_verify(behind_nginx, cast, client_for):
    report = make_report(cast, state="submitted")
    client_for(cast.editor).post(
        reverse("office:claim", args=[report.pk]),
        REMOTE_ADDR="",
        HTTP_X_FORWARDED_FOR="203.0.113.50",
    )
    assert Event.objects.get(verb="claim").ip == "203.0.113.50"
    assert verify_chain() is None


def test_an_empty_peer_address_leaves_the_chain_verifiable(settings, cast, client_for):
    # A Unix socket without a configured proxy: no address, rather than "" that
    # the database would read back as NULL and so break the event's hash.
    settings.TRUSTED_PROXIES = []
    report = make_report(cast, state="submitted")
    client_for(cast.editor).post(reverse("office:claim", args=[report.pk]), REMOTE_ADDR="")
    assert Event.objects.get(verb="claim").ip is None
    assert verify_chain() is None
