"""The admin's security page: unlock accounts and addresses, reset two-step verification."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from minyi.accounts.lockout import do_unlock, locked_entries
from minyi.accounts.twofactor import do_reset_second_factor
from minyi.people.decorators import role_required
from minyi.people.models import Role, User

#: How many accounts with two-step verification the page lists at once.
LIST_LIMIT = 100


@role_required(Role.ADMIN)
def security(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:50]
    enrolled = User.objects.filter(
        pk__in=TOTPDevice.objects.filter(confirmed=True).values("user_id")
    ).order_by("username")
    if query:
        enrolled = enrolled.filter(Q(username__icontains=query) | Q(display_name__icontains=query))
    context = {
        "locks": locked_entries(),
        "enrolled": enrolled[:LIST_LIMIT],
        "query": query,
        "limit": LIST_LIMIT,
        "cooloff": settings.MINYI_LOGIN_COOLOFF_MINUTES,
    }
    return render(request, "accounts/admin_security.html", context)


@role_required(Role.ADMIN)
@require_POST
def unlock(request: HttpRequest) -> HttpResponse:
    kind = request.POST.get("kind", "")
    value = request.POST.get("value", "").strip()[:255]
    if kind not in ("account", "address") or not value:
        messages.error(request, "解锁请求不完整，请从列表中选择要解锁的账号或地址。")
        return redirect("accounts:security")
    cleared = do_unlock(request.user, kind, value)
    label = "账号" if kind == "account" else "地址"
    messages.success(request, f"已解除{label}“{value}”的锁定（清除 {cleared} 条失败记录）。")
    return redirect("accounts:security")


@role_required(Role.ADMIN)
@require_POST
def reset_second_factor(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    do_reset_second_factor(request.user, user)
    messages.success(
        request, f"已重置“{user}”的两步验证，其登录会话已全部结束；下次登录时需重新绑定身份验证器。"
    )
    return redirect("accounts:security")
