"""Bulletin pages: issue list, composer, the issue itself, sign-off and the reader."""

from __future__ import annotations

from django.urls import path

from minyi.bulletins import views, views_item

app_name = "bulletins"
urlpatterns = [
    path("", views.issue_list, name="list"),
    path("create/", views.create, name="create"),
    path("reader/", views.reader, name="reader"),
    path("<int:pk>/", views.detail, name="detail"),
    path("items/<int:pk>/", views_item.published_item, name="item"),
    path("<int:pk>/compose/", views.compose, name="compose"),
    path("<int:pk>/send/", views.send, name="send"),
    path("<int:pk>/sign-off/", views.sign_off, name="sign_off"),
    path("<int:pk>/reject/", views.reject, name="reject"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/correct/", views.correct, name="correct"),
    path("<int:pk>/void/", views.void, name="void"),
]
