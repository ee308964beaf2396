"""The user's notifications (通知): list, open one, mark all read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from minyi.core import clock
from minyi.notify.models import Notification

PAGE_SIZE = 30


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    notes = Notification.objects.for_user(request.user).order_by("-created_at", "-id")
    page = Paginator(notes, PAGE_SIZE).get_page(request.GET.get("page"))
    unread = Notification.objects.for_user(request.user).unread().count()
    return render(request, "notify/list.html", {"page": page, "unread": unread})


@login_required
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one of the user's own notifications read and go where it points."""
    # Only the owner's rows are searched, so someone else's id is simply not found.
    note = Notification.objects.for_user(request.user).filter(pk=pk).first()
    if note is None:
        raise Http404("没有找到该通知。")
    if note.read_at is None:
        note.read_at = clock.now()
        note.save(update_fields=["read_at"])
    # The stored url is ours, but never redirect off-site should one be bad.
    if note.url and url_has_allowed_host_and_scheme(note.url, allowed_hosts={request.get_host()}):
        return redirect(note.url)
    return redirect("notify:list")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = Notification.objects.for_user(request.user).unread().update(read_at=clock.now())
    messages.success(request, f"已将 {count} 条通知标为已读。" if count else "没有未读通知。")
    return redirect("notify:list")
