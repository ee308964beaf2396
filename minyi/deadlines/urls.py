"""The overdue boards: the office's for every report, a liaison's for their units."""

from __future__ import annotations

from django.urls import path

from minyi.deadlines import views, views_holidays

app_name = "deadlines"
urlpatterns = [
    path("overdue/", views.overdue, name="overdue"),
    path("unit/", views.unit, name="unit"),
    path("holidays/", views_holidays.holidays, name="holidays"),
]
