"""Two-step verification pages: enter a code, enrol an authenticator (QR code), recovery codes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from minyi.accounts.policy import second_factor_required
from minyi.accounts.twofactor import (
    RECOVERY_CODE_COUNT,
    do_enrol,
    do_regenerate_recovery_codes,
    do_verify,
    has_second_factor,
    pending_device,
    qr_svg,
    secret_text,
    throttled,
)
from minyi.accounts.views_login import safe_next


@never_cache
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.is_verified():
        return redirect(safe_next(request))
    if not has_second_factor(user):
        return redirect("accounts:otp_enrol")
    error = ""
    if request.method == "POST":
        if throttled(user):
            error = "验证码错误次数过多，请稍等片刻再试。"
        elif used := do_verify(request, request.POST.get("code", "")):
            if used == "recovery":
                messages.warning(
                    request, "已使用一个恢复码登录。请尽快在“账号安全”页重新生成恢复码。"
                )
            return redirect(safe_next(request))
        else:
            error = "验证码不正确或已过期，请重新输入。"
    context = {"error": error, "next": safe_next(request, default="")}
    return render(request, "accounts/otp_verify.html", context, status=400 if error else 200)


@never_cache
@login_required
def enrol(request: HttpRequest) -> HttpResponse:
    user = request.user
    if has_second_factor(user):
        messages.info(request, "您已启用两步验证。更换手机请联系系统管理员重置。")
        return redirect("accounts:home" if user.is_verified() else "accounts:otp_verify")
    device = pending_device(user)
    error = ""
    if request.method == "POST":
        codes = do_enrol(request, device, request.POST.get("code", ""))
        if codes is not None:
            return render(
                request, "accounts/recovery_codes.html", {"codes": codes, "enrolled": True}
            )
        error = "验证码不正确，请确认手机时间准确后输入身份验证器上当前显示的 6 位数字。"
    context = {
        "secret": secret_text(device),
        "error": error,
        "required": second_factor_required(user),
        "next": safe_next(request, default=""),
    }
    return render(request, "accounts/otp_enrol.html", context, status=400 if error else 200)


@never_cache
@login_required
def qr(request: HttpRequest) -> HttpResponse:
    """The QR code of the authenticator being enrolled, as an SVG image (no inline script)."""
    if has_second_factor(request.user):
        return HttpResponse(status=404)
    response = HttpResponse(qr_svg(pending_device(request.user)), content_type="image/svg+xml")
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@login_required
@require_POST
def recovery_codes(request: HttpRequest) -> HttpResponse:
    if not has_second_factor(request.user):
        messages.error(request, "请先启用两步验证。")
        return redirect("accounts:home")
    codes = do_regenerate_recovery_codes(request.user)
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "enrolled": False})


__all__ = ["RECOVERY_CODE_COUNT", "enrol", "qr", "recovery_codes", "verify"]
