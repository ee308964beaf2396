"""The outcomes pages under /outcomes/: the register, batch registration and 催办 from desk,
then the outcomes app's own pages (one forwarding, forwarding a report), one namespace."""

from __future__ import annotations

from django.urls import path

from minyi.desk import views_chase, views_register
from minyi.outcomes import urls as outcomes_urls

app_name = "outcomes"
urlpatterns = [
    path("", views_register.outcomes_register, name="pending"),
    path("batch-adopt/", views_register.batch_adopt, name="batch_adopt"),
    path("chase/", views_chase.chase_overview, name="chase"),
    path("chase/<int:pk>/", views_chase.chase_recipient, name="chase_recipient"),
    path("chase/<int:pk>/docx/", views_chase.chase_download, {"fmt": "docx"}, name="chase_docx"),
    path("chase/<int:pk>/xlsx/", views_chase.chase_download, {"fmt": "xlsx"}, name="chase_xlsx"),
    *outcomes_urls.urlpatterns,
]
