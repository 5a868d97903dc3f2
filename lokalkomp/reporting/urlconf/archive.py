from __future__ import annotations

from django.urls import URLPattern, path

from ..views import archive

urlpatterns: list[URLPattern] = [
    path("runder/<slug:office>/<int:year>/arkiv/", archive.archive_page, name="archive"),
    path("runder/<slug:office>/<int:year>/arkiv/lag/", archive.archive_make, name="archive_make"),
    path(
        "runder/<slug:office>/<int:year>/arkiv/<int:pk>/arkivpakke.zip",
        archive.archive_download,
        name="archive_download",
    ),
]
