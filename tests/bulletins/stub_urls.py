"""The project's URLconf plus a stub for each menu link whose page has not landed yet.

base.html links to pages other engineers are building (notifications, the
member's pages). Until their URL names exist, a stub stands in so our pages
render; once they land the stubs add nothing.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

import minyi.urls

LINKED_NAMES = {
    "reports": [("mine", False), ("new", False), ("detail", True)],
    "office": [("workbench", True), ("triage", False), ("sign_off_queue", False)],
    "notify": [("list", False)],
}


def _stub(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse("stub")


def _with_stubs() -> list:
    patterns = []
    for entry in minyi.urls.urlpatterns:
        namespace = getattr(entry, "namespace", None)
        if namespace not in LINKED_NAMES:
            patterns.append(entry)
            continue
        own = list(entry.url_patterns)
        names = {p.name for p in own}
        for name, has_pk in LINKED_NAMES[namespace]:
            if name not in names:
                route = f"__stub__/{name}/" + ("<int:pk>/" if has_pk else "")
                own.append(path(route, _stub, name=name))
        patterns.append(path(str(entry.pattern), include((own, namespace))))
    return patterns


urlpatterns = _with_stubs()
