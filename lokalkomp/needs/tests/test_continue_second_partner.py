"""Continuing a measure into a later year (videreføring) carries its «partner 2» and partner 2's part along, when
the new measure's scheme still allows partner 2's kind; otherwise both are left out and the contact is told."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from lokalkomp.directory.models import Organisation
from lokalkomp.needs.actions import copy_measure, second_partner_dropped
from lokalkomp.needs.models import FieldEdit, Measure, Participant
from lokalkomp.testing import make_measure, make_organisation, make_report, make_round

DROPPED = (
    "Partner 2 (%(org)s) was not carried over: %(scheme)s does not allow it as partner 2, or it is a "
    "partner of the partnership already. Choose partner 2 again if the measure has one."
)


@pytest.fixture
def owner(client, cast):
    client.force_login(cast.owner_contact)
    client.cookies["django_language"] = "en"
    return client


def earlier_with_partner_2(cast, year, scheme, partner):
    report = make_report(make_round(cast.office, year=year, schemes=(scheme,)), cast.report.partnership)
    return make_measure(
        report, 80_000, 40_000, name="Lesing over tid", second_partner=partner, second_partner_amount=15_000
    )


def warnings(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_partner_2_and_its_part_are_carried_over_when_the_scheme_still_allows_it(owner, cast):
    ntnu = make_organisation(Organisation.Kind.UNIVERSITY, name="NTNU", org_number="974767880")
    source = earlier_with_partner_2(cast, 2025, "dekomp", ntnu)  # into the cast's 2027 report (kollektiv-2026)
    response = owner.post(reverse("needs:copy_measure", args=[cast.report.pk]), {"source": source.pk})
    copy = Measure.objects.get(report=cast.report, continued_from=source)
    assert (copy.second_partner, copy.second_partner_amount) == (ntnu, 15_000)
    assert copy.first_partner_amount == 25_000
    assert not second_partner_dropped(source, copy)
    with translation.override("en"):
        assert not any("was not carried over" in m for m in warnings(response))


def test_partner_2_is_left_out_with_a_notice_when_the_new_scheme_does_not_allow_its_kind(owner, cast):
    fagskole = make_organisation(Organisation.Kind.VOCATIONAL_COLLEGE, name="Fagskolen i Viken")
    source = earlier_with_partner_2(cast, 2024, "kollektiv-2026", fagskole)
    later = make_report(make_round(cast.office, year=2025, schemes=("dekomp",)), cast.report.partnership)
    response = owner.post(reverse("needs:copy_measure", args=[later.pk]), {"source": source.pk}, follow=True)
    copy = Measure.objects.get(report=later, continued_from=source)
    assert copy.scheme.code == "dekomp"  # university only
    assert (copy.second_partner, copy.second_partner_amount) == (None, 0)
    assert (copy.partner_amount, copy.first_partner_amount) == (40_000, 40_000)
    assert second_partner_dropped(source, copy)
    with translation.override("en"):
        expected = gettext(DROPPED) % {"org": fagskole, "scheme": copy.scheme.short_name}
    assert expected in response.content.decode().replace("&#x27;", "'")
    assert FieldEdit.objects.filter(key=f"measure:{copy.pk}:copied", value=str(source.pk)).exists()
    source.refresh_from_db()
    assert source.second_partner == fagskole  # the earlier year's measure is untouched


def test_partner_2_is_left_out_when_it_has_become_a_partner_of_the_partnership(cast):
    uit = make_organisation(Organisation.Kind.UNIVERSITY, name="UiT")
    source = earlier_with_partner_2(cast, 2025, "dekomp", uit)
    Participant.objects.create(partnership=cast.report.partnership, organisation=uit, side="partner")
    copy = copy_measure(cast.report, source, by=cast.owner_contact)
    assert (copy.second_partner, copy.second_partner_amount) == (None, 0)
    assert second_partner_dropped(source, copy)


def test_a_measure_without_partner_2_is_carried_over_as_before(cast):
    source = make_measure(
        make_report(make_round(cast.office, year=2025, schemes=("dekomp",)), cast.report.partnership), 1_000, 500
    )
    copy = copy_measure(cast.report, source, by=cast.owner_contact)
    assert (copy.second_partner, copy.second_partner_amount, copy.partner_amount) == (None, 0, 500)
    assert not second_partner_dropped(source, copy)
