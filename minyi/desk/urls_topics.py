"""The topic guide and 约稿 (``/topics/``): the office's pages and a member's commission."""

from __future__ import annotations

from django.urls import path

from minyi.desk import views_topics as v

app_name = "topics"
urlpatterns = [
    path("", v.topic_list, name="list"),
    path("new/", v.topic_new, name="new"),
    path("<int:pk>/", v.topic_detail, name="detail"),
    path("<int:pk>/edit/", v.topic_edit, name="edit"),
    path("<int:pk>/commission/", v.commission_new, name="commission_new"),
    path("duties/", v.commission_list, name="commissions"),
    path("duties/<int:pk>/", v.commission_detail, name="commission"),
    path("duties/<int:pk>/cancel/", v.commission_cancel, name="commission_cancel"),
    path("duties/<int:pk>/<str:action>/", v.commission_answer, name="commission_answer"),
]
