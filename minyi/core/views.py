from __future__ import annotations

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


#: What a 400 says when the cause is not one of our own Chinese refusals.
BAD_REQUEST_TEXT = "请求无法处理：提交的内容不完整或格式不对。请返回上一页刷新后重试。"
#: Django refuses a multipart part whose headers pass 1 KB before any view runs: in
#: practice an upload whose file name is too long (about 300 Chinese characters).
UPLOAD_REFUSED_TEXT = (
    "上传失败：文件名太长或上传内容不完整。请把文件名改短（不超过 100 个字）后重新上传。"
)


#: What a refused form says: the usual causes are an old page or cookies switched off.
CSRF_FAILURE_TEXT = (
    "提交未被接受：页面已过期，或浏览器禁用了 Cookie。请返回上一页，刷新后重新提交。"
)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The Chinese 403 page for a form Django's CSRF check refused (nothing was changed)."""
    return render(request, "403.html", {"exception": CSRF_FAILURE_TEXT}, status=403)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The Chinese 400 page; our own ``BadRequest`` messages are shown, others are not.

    Django's SuspiciousOperation messages are English and may name server paths,
    so only messages raised as plain ``BadRequest`` by minyi reach the page.
    """
    if isinstance(exception, MultiPartParserError):
        message = UPLOAD_REFUSED_TEXT
    elif type(exception) is BadRequest and exception.args:
        message = str(exception)
    else:
        message = BAD_REQUEST_TEXT
    context = {"message": message}
    return render(request, "400.html", context, status=400)
