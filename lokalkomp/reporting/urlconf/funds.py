from __future__ import annotations

from django.urls import URLPattern, path

from ..views import funds, funds_versions

urlpatterns: list[URLPattern] = [
    path("rapportering/", funds.mine, name="funds_mine"),
    path("rapportering/<int:pk>/", funds.report, name="funds_report"),
    path("rapportering/<int:pk>/lagre/", funds.save, name="funds_save"),
    path("rapportering/<int:pk>/send/", funds.submit, name="funds_submit"),
    path("rapportering/<int:pk>/pdf/", funds.pdf, name="funds_pdf"),
    path("rapportering/<int:pk>/versjoner/", funds_versions.funds_versions, name="funds_versions"),
]
