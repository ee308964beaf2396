from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from minyi.core import views as core_views
from minyi.desk import views_home

admin.site.site_header = "社情民意信息工作平台 · 系统管理"
admin.site.site_title = "minyi 系统管理"
admin.site.index_title = "基础数据与账号"

urlpatterns = [
    path("", views_home.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("reports/", include("minyi.desk.urls")),
    path("office/", include("minyi.desk.urls_office")),
    path("bulletins/", include("minyi.bulletins.urls")),
    path("documents/", include("minyi.bulletins.urls_documents")),
    path("outcomes/", include("minyi.outcomes.urls")),
    path("notifications/", include("minyi.notify.urls")),
    path("search/", include("minyi.search.urls")),
    path("deadlines/", include("minyi.deadlines.urls")),
    path("insights/", include("minyi.insights.urls")),
    path("exchange/", include("minyi.exchange.urls")),
    path("scoring/", include("minyi.scoring.urls")),
    path("admin/", admin.site.urls),
]
