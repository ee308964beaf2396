"""The site's URLs with Django serving the static files, as ``make serve`` does without nginx."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from minyi.urls import urlpatterns as site

urlpatterns = [
    *site,
    re_path(r"^static/(?P<path>.*)$", serve, {"document_root": settings.STATICFILES_DIRS[0]}),
]
