from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


class LanguageMiddleware:
    """Bokmål unless the person chose another language with the switch (kept in a cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language; a Norwegian
    public service starts in bokmål whatever the browser says.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


# Pages and files with a report's contents, people or accounts: never kept by a browser or a proxy cache.
PRIVATE_PREFIXES = ("/behovsmeldinger/", "/personer/")
PRIVATE_TYPES = ("application/pdf", "application/vnd.openxmlformats", "text/csv")


class PrivateNoStoreMiddleware:
    """`Cache-Control: private, no-store` on report pages, PDFs and exports (and every other file download).

    A shared computer's back button or a proxy would otherwise keep account numbers and budgets.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        content_type = response.headers.get("Content-Type", "")
        if (
            request.path.startswith(PRIVATE_PREFIXES)
            or content_type.startswith(PRIVATE_TYPES)
            or "attachment" in response.headers.get("Content-Disposition", "")
        ):
            response.headers["Cache-Control"] = "private, no-store"
        return response
