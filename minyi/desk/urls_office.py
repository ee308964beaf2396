"""The research office's pages (triage, workbench, merge) and the approver's sign-off queue."""

from __future__ import annotations

from django.urls import path

from minyi.desk import views_assist, views_confidentiality
from minyi.desk import views_office as views

app_name = "office"
urlpatterns = [
    path("triage/", views.triage, name="triage"),
    path("merge/", views.merge, name="merge"),
    path("reports/<int:pk>/", views.workbench, name="workbench"),
    path("reports/<int:pk>/claim/", views.claim, name="claim"),
    path("reports/<int:pk>/take-over/", views.take_over, name="take_over"),
    path("reports/<int:pk>/assist/", views_assist.office_assist, name="assist"),
    path("reports/<int:pk>/act/<str:action>/", views.act, name="act"),
    path(
        "reports/<int:pk>/confidentiality/",
        views_confidentiality.mark,
        name="confidentiality",
    ),
    path("sign-off/", views.sign_off_queue, name="sign_off_queue"),
    path("sign-off/selected/", views.sign_off_selected, name="sign_off_selected"),
    path("review/<int:pk>/", views.review, name="review"),
]
