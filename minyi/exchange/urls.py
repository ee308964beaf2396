from __future__ import annotations

from django.urls import path

from minyi.exchange import views

app_name = "exchange"

urlpatterns = [
    path("roster/import/", views.roster_upload, name="roster_import"),
    path("roster/import/<int:pk>/", views.roster_plan, name="roster_plan"),
    path("roster/import/<int:pk>/apply/", views.roster_apply, name="roster_apply"),
    path("roster/export/", views.roster_export, name="export_roster"),
    path("reports/import/", views.reports_upload, name="reports_import"),
    path("reports/import/template/", views.reports_template, name="reports_template"),
    path("reports/import/<int:pk>/mapping/", views.reports_mapping, name="reports_mapping"),
    path("reports/import/<int:pk>/", views.reports_plan, name="reports_plan"),
    path("reports/import/<int:pk>/apply/", views.reports_apply, name="reports_apply"),
    path("reports/import/<int:pk>/progress/", views.reports_progress, name="reports_progress"),
    path("reports/export/", views.export_reports, name="export_reports"),
    path("forwardings/export/", views.export_forwardings, name="export_forwardings"),
]
