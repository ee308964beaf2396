"""The outcomes register (采用登记) and batch registration of adoptions.

Search, filters, sort, numbered pages and counts per filter (``deadlines.register``);
forwardings are reached only through ``outcomes.access.visible_forwardings``, and
every change goes through an ``outcomes.actions`` function. The register lives in
``desk`` rather than ``outcomes`` because "overdue" is the deadlines app's rule.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from minyi.audit.statemachine import ActionRefused
from minyi.core.http import parse_ids
from minyi.deadlines import register
from minyi.outcomes import forms
from minyi.outcomes.access import visible_forwardings
from minyi.outcomes.actions import do_record_adoptions
from minyi.outcomes.models import ForwardingState, Recipient
from minyi.people.decorators import role_required
from minyi.people.models import Role

PAGE_SIZE = 50
editor_required = role_required(Role.EDITOR)


def _back(request: HttpRequest) -> str:
    candidate = request.POST.get("next", "")
    allowed = url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return candidate if candidate and allowed else reverse("outcomes:pending")


@editor_required
def outcomes_register(request: HttpRequest) -> HttpResponse:
    form = forms.RegisterForm(request.GET or None)
    found = register.build(request.user, form)
    paginator = Paginator(found.rows, PAGE_SIZE)
    # The state counts already hold the total: no separate COUNT(*) for the pages.
    paginator.count = found.total
    page = paginator.get_page(request.GET.get("page"))
    register.mark_page(list(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    state_labels = dict(form.fields["state"].choices)
    recipients = list(Recipient.objects.all())
    context = {
        "form": form,
        "page": page,
        "page_numbers": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "query": query.urlencode(),
        "state_label": state_labels[found.shown],
        "state_counts": [
            (value, label, found.by_state.get(value, 0))
            for value, label in forms.ForwardingState.choices
        ],
        "recipient_counts": [(r, found.by_recipient.get(r.pk, 0)) for r in recipients],
        "overdue_count": found.overdue,
        "batch_form": forms.AdoptionForm(auto_id="batch_%s"),
        # A list some of whose filters were dropped is shown, but never ticked for a batch.
        "ignored": form.ignored(),
        "adoptable": {ForwardingState.PENDING, ForwardingState.NOT_ADOPTED},
        "here": request.get_full_path(),
    }
    return render(request, "office/register.html", context)


@editor_required
@require_POST
def batch_adopt(request: HttpRequest) -> HttpResponse:
    """Record one adoption (kind, carrier, date) for every ticked forwarding, all or none."""
    ids = set(parse_ids(request.POST.getlist("ids")))
    form = forms.AdoptionForm(request.POST)
    if not ids:
        messages.error(request, "请先勾选要登记采用的报送记录。")
        return redirect(_back(request))
    if not form.is_valid():
        errors = "；".join(e for errs in form.errors.values() for e in errs)
        messages.error(request, f"未登记：{errors}")
        return redirect(_back(request))
    rows = list(
        visible_forwardings(request.user)
        .filter(pk__in=ids)
        .select_related("report", "recipient")
        .order_by("id")
    )
    try:
        if len(rows) != len(ids):
            raise ActionRefused("所选报送记录中有的已不存在或您无权查看，请刷新页面后重试。")
        done = do_record_adoptions(rows, request.user, **form.cleaned_data)
    except ActionRefused as exc:
        messages.error(request, f"未登记（全部未保存）：{exc}")
    else:
        kind = done[0].get_kind_display()
        count = len(done)
        messages.success(request, f"已为 {count} 条报送记录登记采用（{kind}），作者将收到通知。")
    return redirect(_back(request))
