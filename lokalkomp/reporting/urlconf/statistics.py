from __future__ import annotations

from django.urls import URLPattern, path

from ..views import statistics as views

urlpatterns: list[URLPattern] = [
    path("statistikk/<slug:office>/", views.office_statistics, name="statistics"),
    path("statistikk/<slug:office>/nettverk/<slug:network>/", views.network_statistics, name="statistics_network"),
    path("statistikk/<slug:office>/historikk/", views.history_upload, name="statistics_history"),
    path("statistikk/<slug:office>/historikk/lagre/", views.history_save, name="statistics_history_save"),
]
