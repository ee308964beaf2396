import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minyi.settings")
application = get_wsgi_application()

from minyi.core.checks import production_problems  # noqa: E402  (needs settings loaded)

if problems := production_problems():
    raise ImproperlyConfigured("; ".join(str(p.msg) for p in problems))
