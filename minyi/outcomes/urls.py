"""Outcome pages: one forwarding's outcomes, forwarding a report.

Mounted under /outcomes/ by ``desk.urls_outcomes``, which adds the register, batch
registration and 催办 (they need the deadlines app's rule for "overdue").
"""

from __future__ import annotations

from django.urls import path

from minyi.outcomes import views, views_scans

app_name = "outcomes"
urlpatterns = [
    path("forwarding/<int:pk>/", views.forwarding_detail, name="forwarding"),
    path("forwarding/<int:pk>/adopt/", views.adopt, name="adopt"),
    path("forwarding/<int:pk>/not-adopted/", views.not_adopted, name="not_adopted"),
    path("forwarding/<int:pk>/instruct/", views.instruct, name="instruct"),
    path("forward/<int:report_pk>/", views.forward, name="forward"),
    path("forwarding/<int:pk>/scan/", views_scans.attach_scan, name="attach_scan"),
    path("incoming/", views_scans.incoming, name="incoming"),
    path("incoming/<int:pk>/file/", views_scans.scan_file, name="scan_file"),
]
