"""The accessibility statement, the privacy statement and the contact in the footer of every page."""

import html

import pytest
from django.urls import reverse

from lokalkomp.testing import make_cast

PAGES = ("home", "accessibility", "privacy", "account_login")


def text_of(response):
    return html.unescape(response.content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["accessibility", "privacy"])
@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_statements_answer_200_to_anonymous_visitors_in_every_language(client, name, language):
    client.cookies["django_language"] = language
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES)
def test_the_footer_links_the_statements_and_the_contact_on_every_page(client, settings, name):
    settings.CONTACT_EMAIL = "postmottak@sf.example.no"
    footer = text_of(client.get(reverse(name))).split('<footer class="lk-footer">')[1]
    assert f'href="{reverse("accessibility")}" id="footer-accessibility">Tilgjengelighetserklæring</a>' in footer
    assert f'href="{reverse("privacy")}" id="footer-privacy">Personvern</a>' in footer
    assert 'href="mailto:postmottak@sf.example.no" id="footer-contact"' in footer


@pytest.mark.django_db
def test_the_footer_is_on_the_pages_of_a_signed_in_person_too(client):
    cast = make_cast()
    client.force_login(cast.owner_contact)
    for url in (reverse("needs:mine"), cast.report.get_absolute_url()):
        assert 'id="footer-accessibility"' in client.get(url).content.decode(), url


@pytest.mark.django_db
def test_the_accessibility_statement_names_the_standard_the_gaps_the_way_to_report_and_the_authority(client, settings):
    settings.CONTACT_EMAIL = "postmottak@sf.example.no"
    text = text_of(client.get(reverse("accessibility")))
    assert "WCAG 2.1" in text and "EN 301 549" in text and "AA" in text
    assert "Det som ikke er i samsvar ennå" in text
    assert text.count("suksesskriterium") >= 1
    assert 'href="mailto:postmottak@sf.example.no"' in text
    assert "Tilsynet for universell utforming av ikt" in text and "https://www.uutilsynet.no/" in text
    assert "uustatus.no" in text


@pytest.mark.django_db
def test_the_privacy_statement_says_what_why_on_which_basis_how_long_who_and_your_rights(client, settings):
    settings.CONTACT_EMAIL = "postmottak@sf.example.no"
    text = text_of(client.get(reverse("privacy")))
    for phrase in (
        "Navn, e-postadresser, telefonnumre",  # what
        "rolle",
        "Innloggingslogger",
        "Revisjonsloggen",
        "Behandlingsansvarlig er Statsforvalteren",  # the controller
        "artikkel 6 nr. 1 bokstav e",  # the legal basis
        "arkivloven",  # how long
        "Datatilsynet",  # the right to complain
    ):
        assert phrase in text, phrase
    assert 'id="privacy-contact">postmottak@sf.example.no</a>' in text


@pytest.mark.django_db
def test_the_statements_are_in_english_for_an_english_reader(client):
    client.cookies["django_language"] = "en"
    assert "Accessibility statement for lokalkomp" in text_of(client.get(reverse("accessibility")))
    assert "Privacy statement for lokalkomp" in text_of(client.get(reverse("privacy")))
