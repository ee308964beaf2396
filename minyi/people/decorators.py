"""View decorators shared by every app's pages: who may open a page, by role."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from minyi.people.models import Role

View = Callable[..., HttpResponse]


def role_required(*roles: str) -> Callable[[View], View]:
    """Log in first, then refuse (403, in Chinese) anyone holding none of ``roles``."""

    def decorator(view: View) -> View:
        @wraps(view)
        @login_required
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.has_role(*roles):
                labels = "、".join(Role(r).label for r in roles)
                raise PermissionDenied(f"此页面仅供{labels}使用。")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
