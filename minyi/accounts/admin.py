"""Authenticators and recovery codes are not edited in the admin site.

django-otp registers its device models there; deleting a device that way would
leave no event. The admin resets a user's two-step verification on the
security page (``accounts:security``), which records ``otp_reset``.
"""

from __future__ import annotations

from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
