"""Members' terms, officer appointments and the yearly 履职 record (``/members/``)."""

from __future__ import annotations

from django.urls import path

from minyi.desk import views_people, views_record

app_name = "members"
urlpatterns = [
    path("terms/", views_people.terms, name="terms"),
    path("officers/", views_people.officers, name="officers"),
    path("officers/<int:pk>/remove/", views_people.remove_officer, name="remove_officer"),
    path("record/", views_record.mine, name="mine"),
    path("records/", views_record.records, name="records"),
    path("<int:pk>/record/", views_record.record, name="record"),
    path("<int:pk>/record.docx", views_record.record_docx, name="record_docx"),
]
