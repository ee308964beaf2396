"""Log in (password, then the second factor where one is needed), log out, and the lockout page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from minyi.accounts.lockout import Lock, lock_for, subject_of
from minyi.accounts.models import UserSession
from minyi.accounts.policy import second_factor_required
from minyi.accounts.twofactor import NEEDS_CODE_KEY, has_second_factor
from minyi.audit.models import record
from minyi.audit.verbs import Verb
from minyi.core.http import client_ip

#: The longest username kept in a failed login's event (what was typed, not a real name).
TYPED_NAME_LIMIT = 150


def safe_next(request: HttpRequest, default: str | None = None) -> str:
    """The ``next`` page if it is on this site, else ``default`` (the home page when not given)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if allowed:
        return target
    return reverse(settings.LOGIN_REDIRECT_URL) if default is None else default


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        if request.user.is_authenticated:
            return redirect(safe_next(request))
        return _page(request, AuthenticationForm(request))
    form = AuthenticationForm(request, data=request.POST)
    if form.is_valid():
        return _logged_in(request, form.get_user())
    lock = _failed(request)
    return _page(request, form, lock, status=429 if lock.locked else 200)


def _logged_in(request: HttpRequest, user: Any) -> HttpResponse:
    auth_login(request, user)
    enrolled = has_second_factor(user)
    needs = enrolled or second_factor_required(user)
    request.session[NEEDS_CODE_KEY] = needs
    stage = "code" if enrolled else ("enrol" if needs else "none")
    record(Verb.LOGIN, user, actor=user, payload={"second_factor": stage})
    # The two-factor middleware sends a session that still needs a code to its page.
    return redirect(safe_next(request))


def _failed(request: HttpRequest) -> Lock:
    """Record the failure (and the lockout it may cause); say what is locked, if anything."""
    username = request.POST.get("username", "")[:TYPED_NAME_LIMIT]
    ip = client_ip(request)
    locked = bool(getattr(request, "axes_locked_out", False))
    with transaction.atomic():
        subject = subject_of(username, ip)
        record(
            Verb.LOGIN_FAILED,
            subject,
            payload={"username": username, "stage": "password", "locked": locked},
        )
        lock = lock_for(username, ip) if locked else Lock(False, False, 0)
        # axes counts on past the limit while locked: exactly the limit is the failure that locked.
        just_locked = getattr(request, "axes_failures_since_start", None) == (
            settings.MINYI_LOGIN_FAILURE_LIMIT
        )
        if locked and just_locked:
            record(
                Verb.LOCKOUT,
                subject,
                payload={
                    "username": username,
                    "account": lock.account,
                    "address": lock.address,
                    "minutes": lock.minutes_left,
                },
            )
    request.minyi_lockout_drawn = True
    return lock


def _page(
    request: HttpRequest, form: AuthenticationForm, lock: Lock | None = None, status: int = 200
) -> HttpResponse:
    context = {"form": form, "lock": lock, "next": safe_next(request, default="")}
    return render(request, "registration/login.html", context, status=status)


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """``AXES_LOCKOUT_CALLABLE``: keep the login page this view drew; anywhere else, draw it."""
    if original_response is not None and getattr(request, "minyi_lockout_drawn", False):
        return original_response
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    lock = lock_for(username, client_ip(request))
    return _page(request, AuthenticationForm(request), lock, status=429)


@require_POST
def logout_view(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    user = request.user
    if user.is_authenticated:
        with transaction.atomic():
            UserSession.objects.filter(session_key=request.session.session_key).delete()
            record(Verb.LOGOUT, user, actor=user, payload={"reason": "user"})
    auth_logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)


def admin_login(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    """The admin site's own login form would bypass the second factor: send it to ours.

    A signed-in user who is not admin staff is refused here: our login page would
    send them straight back to ``next`` and the browser round in a loop.
    """
    if request.user.is_authenticated:
        raise PermissionDenied("您没有访问系统管理后台的权限。")
    target = request.GET.get("next") or reverse("admin:index")
    return redirect(f"{reverse('login')}?{urlencode({'next': target})}")
