"""The leaders' and office's dashboard and its figures as Excel files; the admins' audit page."""

from __future__ import annotations

from django.urls import path

from minyi.insights import views, views_audit, views_hot

app_name = "insights"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("figures/<slug:slug>.xlsx", views.figure_xlsx, name="figure_xlsx"),
    path("hot/", views_hot.hot_topics, name="hot_topics"),
    path("audit/", views_audit.audit_log, name="audit"),
    path("audit/export.xlsx", views_audit.audit_export, name="audit_export"),
]
