"""The user's notifications, their settings, and the background-work page."""

from __future__ import annotations

from django.urls import path

from minyi.notify import views

app_name = "notify"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/open/", views.open_notification, name="open"),
    path("read-all/", views.mark_all_read, name="mark_all_read"),
    path("settings/", views.preferences, name="preferences"),
    path("background/", views.background, name="background"),
]
