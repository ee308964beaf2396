"""A user's open sessions: listed, touched as they are used, ended by idle time or on request.

Rule: a logged-in session must have its ``UserSession`` row. Ending a session
(one of them, all of them, or by idle time) deletes the row and the Django
session; a request that arrives on a session without its row is logged out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from minyi.accounts.models import UserSession
from minyi.accounts.policy import idle_timeout
from minyi.audit.models import record
from minyi.audit.verbs import Verb
from minyi.core import clock
from minyi.core.http import client_ip, user_agent
from minyi.people.models import User

#: ``last_seen`` is written at most this often, so a busy page does not write on every request.
TOUCH_EVERY = dt.timedelta(minutes=1)


def note_session_on_login(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    """``user_logged_in`` receiver: the new session gets its row."""
    session = getattr(request, "session", None)
    if session is None:
        return
    if session.session_key is None:
        session.save()
    UserSession.objects.update_or_create(
        session_key=session.session_key,
        defaults={
            "user": user,
            "ip": client_ip(request),
            "user_agent": user_agent(request),
            "created_at": clock.now(),
            "last_seen": clock.now(),
        },
    )


def rekey_session(request: HttpRequest, old_key: str | None) -> None:
    """After ``cycle_key`` (a password change) the row follows the session to its new key."""
    if old_key and request.session.session_key != old_key:
        UserSession.objects.filter(session_key=old_key).update(
            session_key=request.session.session_key
        )


def live_sessions(user: User) -> Any:
    """The user's sessions that would still let a request in: not expired, not idle too long."""
    now = clock.now()
    alive = Session.objects.filter(expire_date__gt=now).values("session_key")
    return UserSession.objects.filter(
        user=user, session_key__in=alive, last_seen__gte=now - idle_timeout(user)
    )


def clear_ended_sessions() -> int:
    """Rows whose Django session is gone or expired, and the expired sessions themselves.

    A session that simply runs out is never seen again, so nothing else would
    delete its row. Run daily by the worker (``accounts.tasks``).
    """
    now = clock.now()
    Session.objects.filter(expire_date__lte=now).delete()
    alive = Session.objects.values("session_key")
    return UserSession.objects.exclude(session_key__in=alive).delete()[0]


def end_sessions(sessions: Any) -> int:
    """Delete the rows and the Django sessions behind them."""
    keys = list(sessions.values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    sessions.delete()
    return len(keys)


def do_end_session(user: User, pk: int) -> bool:
    """End one of the user's own sessions (not the current one: that is 退出登录)."""
    with transaction.atomic():
        return end_sessions(UserSession.objects.filter(user=user, pk=pk)) > 0


def do_logout_everywhere(request: HttpRequest) -> int:
    """End every session of the user, this one included; one ``logout_everywhere`` event."""
    user = request.user
    with transaction.atomic():
        ended = end_sessions(UserSession.objects.filter(user=user))
        record(Verb.LOGOUT_EVERYWHERE, user, actor=user, payload={"sessions": ended})
    logout(request)
    return ended


class SessionGuardMiddleware:
    """After authentication: end sessions that were ended elsewhere or sat idle too long."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            refused = self.check(request, user)
            if refused is not None:
                return refused
        return self.get_response(request)

    def check(self, request: HttpRequest, user: User) -> HttpResponse | None:
        key = request.session.session_key
        row = UserSession.objects.filter(session_key=key, user=user).first() if key else None
        now = clock.now()
        if row is None:
            return self.end(request, "您的登录会话已在其他地方结束，请重新登录。")
        if now - row.last_seen > idle_timeout(user):
            with transaction.atomic():
                end_sessions(UserSession.objects.filter(pk=row.pk))
                record(Verb.LOGOUT, user, actor=user, payload={"reason": "idle"})
            return self.end(request, "长时间未操作，已自动退出登录，请重新登录。")
        if now - row.last_seen > TOUCH_EVERY:
            UserSession.objects.filter(pk=row.pk).update(
                last_seen=now, ip=client_ip(request), user_agent=user_agent(request)
            )
        return None

    @staticmethod
    def end(request: HttpRequest, message: str) -> HttpResponse:
        logout(request)
        messages.info(request, message)
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = _login_url(request)
            return response
        return redirect(_login_url(request))


def _login_url(request: HttpRequest) -> str:
    return redirect_to_login(request.get_full_path())["Location"]
