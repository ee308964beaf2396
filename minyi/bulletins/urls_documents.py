"""Document downloads (included from the root URLconf under ``documents/``)."""

from __future__ import annotations

from django.urls import path

from minyi.bulletins import views_distribution, views_documents

app_name = "documents"
urlpatterns = [
    path("issues/<int:pk>.docx", views_documents.issue_docx, name="issue_docx"),
    path("issues/<int:pk>.pdf", views_documents.issue_pdf, name="issue_pdf"),
    path("reports/<int:pk>.docx", views_documents.report_docx, name="report_docx"),
    path("reports/<int:pk>.pdf", views_documents.report_pdf, name="report_pdf"),
    path("issues/<int:pk>/editor-note/", views_distribution.editor_note, name="editor_note"),
    path("issues/<int:pk>/copies/", views_distribution.copies, name="issue_copies"),
    path(
        "issues/<int:pk>/copies/<int:number>.docx",
        views_distribution.copy_docx,
        name="issue_copy_docx",
    ),
    path(
        "issues/<int:pk>/copies/<int:number>.pdf",
        views_distribution.copy_pdf,
        name="issue_copy_pdf",
    ),
    path("yearbook/", views_distribution.yearbook, name="yearbook"),
]
