"""Every URL pattern of the site, walked from the URL conf, for the access tests.

``patterns()`` lists each pattern once with its full name (``namespace:name``),
its route and the names of its arguments. The access matrix
(``tests/test_access_matrix.py``) demands an entry for each; the leak crawl
(``tests/test_leak_crawl.py``) visits each with real ids.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.apps import apps
from django.contrib import admin
from django.db.models import Model
from django.urls import URLPattern, URLResolver, get_resolver, reverse


@dataclass(frozen=True)
class Pattern:
    name: str  # "namespace:name", e.g. "reports:detail"; unnamed ones "namespace:route"
    route: str  # the full route, e.g. "reports/<int:pk>/"
    params: tuple[str, ...]  # the names of its arguments, in order

    @property
    def is_admin(self) -> bool:
        return self.name.startswith("admin:")

    def url(self, values: dict[str, object]) -> str:
        """The path with these argument values; unnamed patterns are filled in by hand."""
        if "<" in self.name or "/" in self.name:
            return fill(self.route, values)
        return reverse(self.name, kwargs=values)


def patterns() -> list[Pattern]:
    found: list[Pattern] = []
    _walk(get_resolver(), "", "", found)
    return found


def _walk(resolver: URLResolver, prefix: str, namespace: str, found: list[Pattern]) -> None:
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            _walk(entry, route, inner, found)
        elif isinstance(entry, URLPattern):
            # Unnamed patterns (the admin's redirects) are known by their route.
            short = entry.name or route
            name = f"{namespace}:{short}" if namespace else short
            # Path routes list their arguments as converters, regex routes as named groups.
            params = tuple(entry.pattern.converters) or tuple(entry.pattern.regex.groupindex)
            found.append(Pattern(name, route, params))


def pks(model: type[Model]) -> list[int]:
    return list(model.objects.order_by("pk").values_list("pk", flat=True))


def admin_arguments(pattern: Pattern) -> list[dict[str, object]]:
    """Admin routes name their model: ``admin/<app>/<model>/<path:object_id>/...``."""
    parts = pattern.route.split("/")
    if pattern.params == ("app_label",):
        labels = {m._meta.app_label for m in admin.site._registry}
        return [{"app_label": label} for label in sorted(labels)]
    if len(parts) < 4 or pattern.params not in (("object_id",), ("id",)):
        return []  # view_on_site and the like: reached through links
    model = apps.get_model(parts[1], parts[2])
    found = pks(model)
    if not pattern.name.endswith("_change"):
        # History, delete and the bare redirect show the object's name, not its fields:
        # a few of each suffice, the change page is opened for every object.
        found = found[:3]
    return [{pattern.params[0]: pk} for pk in found]


ARGUMENT = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def fill(route: str, values: dict[str, object]) -> str:
    """The path of ``route`` with each ``<converter:name>`` replaced by ``values[name]``."""
    return "/" + ARGUMENT.sub(lambda m: str(values[m.group("name")]), route)
