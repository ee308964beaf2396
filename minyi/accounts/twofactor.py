"""TOTP second factor (django-otp): enrolment, recovery codes, verification, the admin's reset.

A user *needs a code* in a session when they have a confirmed authenticator or
their role requires one (``policy.second_factor_required``). Until the session
is verified ``TwoFactorMiddleware`` lets them reach only the pages that get
them verified: enter a code, enrol, log out.
"""

from __future__ import annotations

import io
import re
from base64 import b32encode
from collections.abc import Callable
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from minyi.accounts.models import UserSession
from minyi.accounts.policy import second_factor_required
from minyi.accounts.sessions import end_sessions
from minyi.audit.models import record
from minyi.audit.verbs import Verb
from minyi.core import clock
from minyi.people.models import User

RECOVERY_CODE_COUNT = 10
#: Cached per session: does this session's user need a code? (One query at login, not per request.)
NEEDS_CODE_KEY = "minyi_needs_code"
#: The pages an unverified user may still open.
OPEN_VIEWS = frozenset(
    {"accounts:otp_verify", "accounts:otp_enrol", "accounts:otp_qr", "logout", "healthz"}
)


def confirmed_totp(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_second_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def needs_code(request: HttpRequest) -> bool:
    """True while the session's user must still give a code (or enrol) before anything else."""
    user = request.user
    if not user.is_authenticated or user.is_verified():
        return False
    cached = request.session.get(NEEDS_CODE_KEY)
    if cached is None:
        cached = has_second_factor(user) or second_factor_required(user)
        request.session[NEEDS_CODE_KEY] = cached
    return bool(cached)


def pending_device(user: User) -> TOTPDevice:
    """The authenticator being enrolled, made on first use; its secret stays until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    return device or TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=False)


def secret_text(device: TOTPDevice) -> str:
    """The base32 secret in groups of four, for typing into an app by hand."""
    secret = b32encode(device.bin_key).decode("ascii")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> bytes:
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()


def _new_recovery_codes(user: User) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(user=user, defaults={"name": "恢复码"})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def do_enrol(request: HttpRequest, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the pending authenticator with a code from it; the recovery codes, shown once.

    The session becomes verified; the user's other sessions end, since they were
    opened without the factor the account now has.
    """
    user = request.user
    with transaction.atomic():
        if not device.verify_token(clean_code(token)):
            return None
        device.confirmed = True
        # The account page says when the authenticator was bound: that is now, not
        # when the enrolment page was first opened and the unconfirmed row made.
        device.created_at = clock.now()
        device.save(update_fields=["confirmed", "created_at"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        codes = _new_recovery_codes(user)
        end_sessions(
            UserSession.objects.filter(user=user).exclude(session_key=request.session.session_key)
        )
        record(Verb.OTP_ENROL, user, actor=user, payload={"device": device.name})
        record(Verb.RECOVERY_CODES, user, actor=user, payload={"count": len(codes)})
    otp_login(request, device)
    request.session[NEEDS_CODE_KEY] = True
    return codes


def do_regenerate_recovery_codes(user: User) -> list[str]:
    """Replace every recovery code with ten new ones (the old ones stop working)."""
    with transaction.atomic():
        codes = _new_recovery_codes(user)
        record(Verb.RECOVERY_CODES, user, actor=user, payload={"count": len(codes)})
    return codes


def clean_code(token: str) -> str:
    return re.sub(r"[\s-]", "", token or "").lower()[:16]


def do_verify(request: HttpRequest, token: str) -> str:
    """Check an authenticator or recovery code: ``"totp"``, ``"recovery"`` or ``""``."""
    user = request.user
    code = clean_code(token)
    with transaction.atomic():
        totp = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        if totp is not None and code.isdigit() and totp.verify_token(code):
            otp_login(request, totp)
            return "totp"
        static = StaticDevice.objects.select_for_update().filter(user=user).first()
        if static is not None and not code.isdigit() and static.verify_token(code):
            left = static.token_set.count()
            record(Verb.RECOVERY_CODE_USED, user, actor=user, payload={"codes_left": left})
            otp_login(request, static)
            return "recovery"
        record(Verb.LOGIN_FAILED, user, actor=user, payload={"stage": "second_factor"})
    return ""


def throttled(user: User) -> bool:
    """django-otp doubles the wait after each wrong code; say so rather than 'wrong code'."""
    device = confirmed_totp(user)
    return device is not None and not device.verify_is_allowed()[0]


def do_reset_second_factor(actor: User, user: User) -> int:
    """The admin's reset for a lost phone: authenticator and recovery codes go, sessions end."""
    with transaction.atomic():
        removed = TOTPDevice.objects.filter(user=user).delete()[0]
        removed += StaticDevice.objects.filter(user=user).delete()[0]
        ended = end_sessions(UserSession.objects.filter(user=user))
        record(
            Verb.OTP_RESET, user, actor=actor, payload={"removed": removed, "sessions_ended": ended}
        )
    return removed


class TwoFactorMiddleware:
    """After OTPMiddleware: an unverified session that needs a code reaches only ``OPEN_VIEWS``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        if match is None or match.view_name in OPEN_VIEWS or _is_static(request):
            return None
        if not needs_code(request):
            return None
        target = "accounts:otp_verify" if has_second_factor(request.user) else "accounts:otp_enrol"
        url = reverse(target)
        if request.method == "GET":
            url += "?" + urlencode({"next": request.get_full_path()})
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return redirect(url)


def _is_static(request: HttpRequest) -> bool:
    # ``make serve`` without nginx lets Django serve the stylesheet the enrol page needs.
    return request.path.startswith(settings.STATIC_URL)
