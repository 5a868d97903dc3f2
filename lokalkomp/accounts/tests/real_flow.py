"""The real flows, as a browser walks them, for the security tests (issue 8: «HTTP with sessions and CSRF»).

A client that checks CSRF as the site does; every POST sends the token of the page its form is on,
fetched first, as a browser has it; a sign-in goes through the sign-in page (and the code page).
"""

from __future__ import annotations

import re
from typing import Any

from django.test import Client
from django.urls import reverse

from lokalkomp.testing import totp_code

PASSWORD = "pw-Secret-123"  # make_user's


def browser() -> Client:
    return Client(enforce_csrf_checks=True)


def csrf_of(response: Any) -> str:
    """The CSRF token of the (first) form on a page."""
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())
    assert found, f"no form on the page ({response.status_code}): {response.content.decode()[:300]}"
    return found.group(1)


def submit(client: Client, page: str, data: dict[str, Any], *, to: str | None = None, **extra: Any) -> Any:
    """Open the page, and post `data` with its form's CSRF token (to `to`, else back to the page)."""
    token = csrf_of(client.get(page))
    return client.post(to or page, {**data, "csrfmiddlewaretoken": token}, **extra)


def sign_in(client: Client, user: Any, password: str = PASSWORD) -> Any:
    """Through the sign-in page; for a person with an authenticator app, the code page too."""
    response = submit(client, reverse("account_login"), {"login": user.email, "password": password})
    if response.status_code == 302 and "/2fa/" in response.url:
        response = submit(client, response.url, {"code": totp_code()})
    return response
