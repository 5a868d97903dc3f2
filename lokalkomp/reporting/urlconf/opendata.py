"""Open data (public: a page per office and year, the JSON/CSV API and its schema) and the export to Udir."""

from __future__ import annotations

from typing import Any

from django.urls import include, path

from ..opendata.api import api
from ..views import opendata as views

# The API's own patterns, but its root answers with a small index (GET only) instead of ninja's 404.
API_PATTERNS: list[Any] = [p for p in api._get_urls() if getattr(p, "name", "") != "api-root"]
API_PATTERNS.append(path("", views.api_root, name="api-root"))

urlpatterns: list[Any] = [
    path("apne-data/", views.index, name="opendata"),
    path("apne-data/<slug:office>/<int:year>/", views.round_page, name="opendata_round"),
    path("apne-data/api/v1/", include((API_PATTERNS, "opendata_api"), namespace="opendata_api")),
    path("runder/<slug:office>/<int:year>/udir-eksport.xlsx", views.udir_xlsx, name="udir_export"),
]
