"""Logging in through the real form, and TOTP codes computed from a device's key."""

from __future__ import annotations

import time

from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP

from tests.factories import PASSWORD


def post_login(client: Client, username: str, password: str = PASSWORD, **extra: str):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def totp_code(device, *, steps_ahead: int = 0) -> str:
    """The code the user's phone shows now (or ``steps_ahead`` 30-second steps later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"
