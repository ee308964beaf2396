"""A user's own account page: two-step verification, password, open sessions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticToken

from minyi.accounts.models import UserSession
from minyi.accounts.policy import idle_timeout, is_staff_account, second_factor_required
from minyi.accounts.sessions import (
    do_end_session,
    do_logout_everywhere,
    end_sessions,
    live_sessions,
    rekey_session,
)
from minyi.accounts.twofactor import confirmed_totp
from minyi.audit.models import record
from minyi.audit.verbs import Verb
from minyi.people.models import User


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    device = confirmed_totp(user)
    context = {
        "device": device,
        "recovery_left": _recovery_left(user),
        "required": second_factor_required(user),
        "staff": is_staff_account(user),
        "idle_minutes": int(idle_timeout(user).total_seconds() // 60),
        "sessions": live_sessions(user),
        "current_key": request.session.session_key,
    }
    return render(request, "accounts/home.html", context)


def _recovery_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user).count()


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        old_key = request.session.session_key
        with transaction.atomic():
            user = form.save()
            # Other sessions lose their login with the old password hash; their rows go too.
            others = UserSession.objects.filter(user=user).exclude(session_key=old_key)
            ended = end_sessions(others)
            record(Verb.PASSWORD_CHANGE, user, actor=user, payload={"sessions_ended": ended})
        update_session_auth_hash(request, user)
        rekey_session(request, old_key)
        messages.success(request, "密码已修改。其他设备上的登录已退出。")
        return redirect("accounts:home")
    return render(request, "accounts/password_change.html", {"form": form})


@login_required
@require_POST
def end_session(request: HttpRequest, pk: int) -> HttpResponse:
    row = UserSession.objects.filter(user=request.user, pk=pk).first()
    if row is None or row.session_key == request.session.session_key:
        messages.error(request, "找不到该会话；退出当前会话请使用“退出”。")
    elif do_end_session(request.user, pk):
        messages.success(request, "已结束该会话。")
    return redirect("accounts:home")


@login_required
@require_POST
def logout_everywhere(request: HttpRequest) -> HttpResponse:
    ended = do_logout_everywhere(request)
    messages.success(request, f"已退出全部 {ended} 个会话，请重新登录。")
    return redirect("login")
