"""The user's notifications (通知), their settings, and the admins' view of background jobs."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_tasks_db.models import DBTaskResult

from minyi.audit.consumers import statuses as consumer_statuses
from minyi.core import clock
from minyi.core.jobs import periodic_jobs
from minyi.notify.channels import enabled_channels
from minyi.notify.forms import NotificationFilterForm, PreferencesForm
from minyi.notify.kinds import kinds_for
from minyi.notify.models import KindPolicy, Notification, Preference, ScheduledRun
from minyi.people.decorators import role_required
from minyi.people.models import Role

PAGE_SIZE = 30
#: Pending and failed jobs shown on the background-work page (each).
SHOWN = 30


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    form = NotificationFilterForm(request.GET or None)
    mine = Notification.objects.for_user(request.user)
    notes = form.apply(mine, clock.now()).order_by("-created_at", "-id")
    page = Paginator(notes, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "unread": mine.unread().count(),
        "form": form,
        "query": query.urlencode(),
    }
    return render(request, "notify/list.html", context, status=400 if form.errors else 200)


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


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    """Each user chooses, per kind, how notifications reach them outside the app."""
    current = Preference.objects.choices_for(request.user)
    mandatory = KindPolicy.mandatory_kinds()
    form = PreferencesForm(
        request.POST if request.method == "POST" else None,
        current=current,
        mandatory=mandatory,
        kinds=kinds_for(request.user.roles),
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            for code, delivery in form.cleaned_data.items():
                Preference.objects.update_or_create(
                    user=request.user,
                    kind=code,
                    defaults={"delivery": delivery, "updated_at": clock.now()},
                )
        messages.success(request, "通知设置已保存。")
        return redirect("notify:preferences")
    context = {
        "form": form,
        "channels": [c for c in enabled_channels() if c.ready_for(request.user)],
        "has_email": bool(request.user.email),
    }
    return render(request, "notify/preferences.html", context, status=400 if form.errors else 200)


@role_required(Role.ADMIN)
def background(request: HttpRequest) -> HttpResponse:
    """Admins see the event-log consumers, queued, running and failed jobs, and when each
    periodic job last ran."""
    tasks = DBTaskResult.objects.all()
    context = {
        "counts": {
            "待运行": tasks.ready().count(),
            "运行中": tasks.running().count(),
            "失败": tasks.failed().count(),
            "已完成": tasks.successful().count(),
        },
        "pending": tasks.filter(status__in=["READY", "RUNNING"]).order_by("run_after")[:SHOWN],
        "failed": tasks.failed().order_by("-finished_at")[:SHOWN],
        "consumers": consumer_statuses(),
        "periodic": [
            (p, ScheduledRun.objects.filter(job=p.name).order_by("-enqueued_at").first())
            for p in periodic_jobs()
        ],
    }
    return render(request, "notify/background.html", context)
