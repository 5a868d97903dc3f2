"""Single sign-on (ID-porten, Feide, Entra ID) against a local OpenID Connect provider.

The test client cannot reach the provider, so the test plays the browser: it asks
lokalkomp for the provider's authorize URL, fetches that from the provider itself
(which signs the test user in at once), and hands the callback back to lokalkomp.
lokalkomp then talks to the provider for real: discovery, token and userinfo.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import requests
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.core.cache import cache
from django.urls import reverse

from lokalkomp.accounts.models import AuditEvent, User
from lokalkomp.testing import make_user, mark_reauthenticated
from tests.oidc_provider import ProviderUser, running_provider

PROVIDER_ID = "feide"


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()  # allauth keeps rate limits and used tokens in the cache


@pytest.fixture
def oidc(settings):
    """The provider with a user whose e-mail address the test sets, and lokalkomp configured for it."""
    user = ProviderUser(sub="feide-12345", email="kari@example.test", given_name="Kari", family_name="Nordmann")
    with running_provider(user) as provider:
        settings.SOCIALACCOUNT_PROVIDERS = {
            "openid_connect": {
                "APPS": [
                    {
                        "provider_id": PROVIDER_ID,
                        "name": "Feide",
                        "client_id": provider.client_id,
                        "secret": provider.client_secret,
                        "settings": {
                            "server_url": provider.issuer,
                            "token_auth_method": "client_secret_post",
                            "oauth_pkce_enabled": True,
                        },
                    }
                ],
                "OAUTH_PKCE_ENABLED": True,
            }
        }
        yield provider


def sign_in_through(client, provider, process="login"):
    """Start at lokalkomp, pass the provider, come back; returns lokalkomp's last response."""
    start = client.post(reverse("openid_connect_login", kwargs={"provider_id": PROVIDER_ID}), {"process": process})
    assert start.status_code == 302
    authorize_url = start.url
    assert authorize_url.startswith(f"{provider.issuer}/authorize?")
    back = requests.get(authorize_url, allow_redirects=False, timeout=5)
    assert back.status_code == 302
    callback = urlsplit(back.headers["Location"])
    assert callback.path == reverse("openid_connect_callback", kwargs={"provider_id": PROVIDER_ID})
    return client.get(f"{callback.path}?{callback.query}", follow=True)


def signed_in_user(client):
    return client.get(reverse("home")).context["user"]


def test_the_login_page_offers_the_configured_provider(client, db, oidc):
    body = client.get(reverse("account_login")).content.decode()
    assert reverse("openid_connect_login", kwargs={"provider_id": PROVIDER_ID}) in body
    assert "Feide" in body


def test_an_invited_person_signs_in_through_the_provider_by_their_verified_address(client, db, oidc):
    person = make_user("kari@example.test")
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)

    response = sign_in_through(client, oidc)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("home")
    assert signed_in_user(client) == person
    account = SocialAccount.objects.get(user=person)
    assert (account.provider, account.uid) == (PROVIDER_ID, "feide-12345")
    assert User.objects.get(pk=person.pk).has_usable_password(), "a verified address keeps its password"
    assert AuditEvent.objects.filter(kind="login", user=person, details__methods=["socialaccount"]).exists()
    assert {"GET /.well-known/openid-configuration", "POST /token", "GET /userinfo"} <= set(oidc.requests_seen)


def test_the_second_sign_in_finds_the_person_by_the_provider_account(client, db, oidc):
    person = make_user("kari@example.test")
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    sign_in_through(client, oidc)
    client.logout()
    oidc.user.email = "kari.new-address@example.test"  # the provider's address changed; the account stays

    sign_in_through(client, oidc)

    assert signed_in_user(client) == person


def test_a_stranger_is_refused_and_no_account_is_made(client, db, oidc):
    oidc.user.email = "stranger@example.test"

    response = sign_in_through(client, oidc)

    assert not signed_in_user(client).is_authenticated
    assert not User.objects.filter(email="stranger@example.test").exists()
    assert not SocialAccount.objects.exists()
    assert response.templates[0].name == "account/signup_closed.html"


def test_an_unverified_address_at_the_provider_is_not_trusted(client, db, oidc):
    person = make_user("kari@example.test")
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    oidc.user.email_verified = False

    sign_in_through(client, oidc)

    assert not signed_in_user(client).is_authenticated
    assert not SocialAccount.objects.exists()


def test_the_statsforvalter_still_gives_the_two_factor_code_after_single_sign_on(client, db, oidc, cast):
    cast.governor.email = "kari@example.test"
    cast.governor.save()
    EmailAddress.objects.create(user=cast.governor, email=cast.governor.email, verified=True, primary=True)

    response = sign_in_through(client, oidc)

    assert response.redirect_chain[-1][0] == reverse("mfa_authenticate")
    assert not signed_in_user(client).is_authenticated


def test_a_signed_in_person_connects_a_provider_account_that_has_no_email_address(client, db, oidc):
    """ID-porten gives no e-mail address: a person connects it once from their account, then signs in with it."""
    person = make_user("kari@example.test")
    oidc.user.email = ""
    client.force_login(person)
    mark_reauthenticated(client, person)

    sign_in_through(client, oidc, process="connect")
    client.logout()
    sign_in_through(client, oidc)

    assert SocialAccount.objects.get().user == person
    assert signed_in_user(client) == person


def test_my_account_links_to_the_connected_accounts_when_single_sign_on_is_set_up(client, db, oidc):
    client.force_login(make_user())

    assert reverse("socialaccount_connections") in client.get(reverse("accounts:me")).content.decode()
    assert client.get(reverse("socialaccount_connections")).status_code == 200
