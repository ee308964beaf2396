from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from minyi.accounts import views_login
from minyi.core import views as core_views
from minyi.desk import views_home

# Bad input (ids out of range, a too-long file name …) gets a Chinese page, not "Bad Request".
handler400 = "minyi.core.views.bad_request"

admin.site.site_header = "社情民意信息工作平台 · 系统管理"
admin.site.site_title = "minyi 系统管理"
admin.site.index_title = "基础数据与账号"
# The admin site logs in and out through our pages: lockout, second factor and events apply.
admin.site.login = views_login.admin_login
admin.site.logout = views_login.logout_view

urlpatterns = [
    path("", views_home.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("login/", views_login.login_view, name="login"),
    path("logout/", views_login.logout_view, name="logout"),
    path("account/", include("minyi.accounts.urls")),
    path("reports/", include("minyi.desk.urls")),
    path("office/", include("minyi.desk.urls_office")),
    path("bulletins/", include("minyi.bulletins.urls")),
    path("documents/", include("minyi.bulletins.urls_documents")),
    path("outcomes/", include("minyi.desk.urls_outcomes")),
    path("notifications/", include("minyi.notify.urls")),
    path("search/", include("minyi.search.urls")),
    path("deadlines/", include("minyi.deadlines.urls")),
    path("insights/", include("minyi.insights.urls")),
    path("exchange/", include("minyi.exchange.urls")),
    path("scoring/", include("minyi.scoring.urls")),
    path("topics/", include("minyi.desk.urls_topics")),
    path("members/", include("minyi.desk.urls_people")),
    path("admin/", admin.site.urls),
]

if settings.SERVE_STATIC:
    # `make serve` without nginx: the collected static files, served by Django
    # (nginx does it behind a proxy, see docs/operations.md).
    urlpatterns.append(
        re_path(r"^static/(?P<path>.*)$", serve, {"document_root": settings.STATIC_ROOT})
    )
