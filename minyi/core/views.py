from __future__ import annotations

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


#: What a 400 says when the cause is not one of our own Chinese refusals.
BAD_REQUEST_TEXT = "请求无法处理：提交的内容不完整或格式不对。请返回上一页刷新后重试。"


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The Chinese 400 page; our own ``BadRequest`` messages are shown, others are not.

    Django's SuspiciousOperation messages are English and may name server paths,
    so only messages raised as plain ``BadRequest`` by minyi reach the page.
    """
    message = str(exception) if type(exception) is BadRequest and exception.args else ""
    context = {"message": message or BAD_REQUEST_TEXT}
    return render(request, "400.html", context, status=400)
