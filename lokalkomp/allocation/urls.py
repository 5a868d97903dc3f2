from __future__ import annotations

from django.urls import path  # noqa: F401

app_name = "allocation"

# Each part of the app keeps its own list; the order is the year's.
urlpatterns: list = []
