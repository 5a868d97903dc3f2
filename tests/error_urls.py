"""The site's URLs plus one view that fails, to see the production 500 page (tests/test_error_pages.py)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from lokalkomp.urls import handler400, handler500
from lokalkomp.urls import urlpatterns as site_urls

__all__ = ["handler400", "handler500", "urlpatterns"]


def fail(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [*site_urls, path("feil/", fail)]
