"""Member-side report pages; the office's pages are in ``urls_office.py``."""

from __future__ import annotations

from django.urls import path

from minyi.desk import views, views_assist, views_members

app_name = "reports"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("new/", views.new, name="new"),
    path("assist/", views_assist.assist, name="assist"),
    path("members/", views_members.member_search, name="member_search"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/act/<str:action>/", views.act, name="act"),
    path("<int:pk>/attachments/", views.attach, name="attach"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("attachments/<int:pk>/preview/", views.attachment_preview, name="attachment_preview"),
    path("attachments/<int:pk>/delete/", views.remove_attachment, name="remove_attachment"),
]
