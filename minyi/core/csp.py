"""The Content-Security-Policy on every response but PDFs (settings.CONTENT_SECURITY_POLICY).

Chrome shows a PDF in a viewer page of its own that lives under the PDF
response's policy: with ``style-src 'self'`` and ``object-src 'none'`` that
viewer cannot draw (its layout is inline style, the document a plugin), and the
reader sees a blank or blocked page. A PDF runs none of our scripts, so
attachments, bulletins and notices in PDF go out without the policy; every
page still has it.
"""

from __future__ import annotations

from csp.middleware import CSPMiddleware
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from minyi.core import mime


class PageCSPMiddleware(CSPMiddleware):
    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if response.get("Content-Type", "").startswith(mime.PDF):
            return response
        return super().process_response(request, response)
