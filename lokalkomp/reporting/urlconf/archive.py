from __future__ import annotations

from django.urls import URLPattern, path

from ..views import archive

urlpatterns: list[URLPattern] = [
    path("runder/<slug:office>/<int:year>/arkivpakke.zip", archive.archive_package, name="archive_package"),
]
