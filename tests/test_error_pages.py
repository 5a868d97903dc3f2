"""Production error pages (DEBUG=False): our own, in the user's language, in the site's layout, saying what to do."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False


def text(response):
    return response.content.decode()


def test_an_unknown_page_shows_our_404_in_bokmal_in_the_site_s_layout(client):
    response = client.get("/finnes-ikke/")
    assert response.status_code == 404
    assert "fant ikke siden" in text(response)
    assert 'class="lk-header"' in text(response)


def test_a_forbidden_action_shows_our_403_in_bokmal(client, cast):
    client.force_login(cast.forum_member)  # may read the report, not start one
    response = client.post(reverse("needs:start", args=[cast.report.partnership.pk, cast.round.pk]))
    assert response.status_code in {403, 404}
    assert 'class="lk-header"' in text(response)
    assert "Not Found" not in text(response) and "Forbidden" not in text(response)


def test_a_bad_request_shows_our_400_page_in_bokmal_with_what_to_do(client, settings):
    settings.ALLOWED_HOSTS = ["lokalkomp.example.no"]
    response = client.get("/", headers={"host": "angriper.example"})
    assert response.status_code == 400
    page = text(response)
    assert "Forespørselen kunne ikke leses" in page
    assert "last inn siden på nytt" in page
    assert 'class="lk-header"' in page
    assert "Bad Request" not in page


def test_a_bad_request_page_follows_the_language_cookie(client, settings):
    settings.ALLOWED_HOSTS = ["lokalkomp.example.no"]
    client.cookies["django_language"] = "nn"
    response = client.get("/", headers={"host": "angriper.example"})
    assert "Førespurnaden kunne ikkje lesast" in text(response)


@pytest.mark.urls("tests.error_urls")
def test_a_server_error_shows_our_500_page_in_bokmal_without_the_database(client):
    client.raise_request_exception = False
    response = client.get("/feil/")
    assert response.status_code == 500
    page = text(response)
    assert "Noe gikk galt" in page
    assert "prøv igjen om noen minutter" in page
    assert 'class="lk-header"' in page
    assert "Server Error" not in page


def test_an_expired_csrf_token_shows_our_page_in_bokmal_with_what_to_do(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.owner_contact)
    response = client.post(reverse("needs:add_measure", args=[cast.report.pk]))
    assert response.status_code == 403
    page = text(response)
    assert "Siden var utløpt" in page
    assert "last inn siden på nytt og send igjen" in page
    assert 'class="lk-header"' in page
    assert "CSRF verification failed" not in page and "Forbidden" not in page
