"""Scoring pages: the ledger, rankings, rules, objections, campaigns and the annual notice."""

from __future__ import annotations

from django.urls import path

from minyi.scoring import views, views_notices

app_name = "scoring"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("members/<int:pk>/", views.member_ledger, name="member"),
    path("members/<int:pk>/correct/", views.correct, name="correct"),
    path("objections/", views.objections, name="objections"),
    path("objections/new/", views.file_objection, name="object"),
    path("objections/<int:pk>/resolve/", views.resolve, name="resolve"),
    path("rankings/", views.ranking, name="rankings"),
    path("rankings/export.xlsx", views.export, name="export"),
    path("rules/", views.rules, name="rules"),
    path("rules/edit/", views.rules_edit, name="rules_edit"),
    path("campaigns/", views_notices.campaigns, name="campaigns"),
    path("campaigns/new/", views_notices.campaign_new, name="campaign_new"),
    path("campaigns/<int:pk>/", views_notices.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/edit/", views_notices.campaign_edit, name="campaign_edit"),
    path("notices/", views_notices.notices, name="notices"),
    path("notices/new/", views_notices.notice_new, name="notice_new"),
    path("notices/<int:pk>/", views_notices.notice_detail, name="notice"),
    path("notices/<int:pk>/edit/", views_notices.notice_edit, name="notice_edit"),
    path("notices/<int:pk>/docx/", views_notices.notice_docx, name="notice_docx"),
    path("notices/<int:pk>/ratings/review/", views_notices.notice_review, name="notice_review"),
    path("notices/<int:pk>/<str:step>/", views_notices.notice_step, name="notice_step"),
    path("public/", views_notices.public_notices, name="public_notices"),
    path("public/<int:pk>/", views_notices.public_notice, name="public_notice"),
]
