"""`needs:measures_xlsx`: every measure the user may read, and none other, as an Excel sheet."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from lokalkomp.directory.models import Network
from lokalkomp.needs.models import UnionParticipant
from lokalkomp.testing import make_measure, make_partnership, make_report, make_round

MEASURE_COLUMN = 7  # «Measure», after office, year, network, partnership, status, scheme, number


def with_measures_near_and_far(cast):
    """The cast's measure, one of another network in the same office, one without a network, and one elsewhere."""
    make_measure(cast.report, 1_000, 0, name="Vårt tiltak")
    other_network = Network.objects.get(memberships__user=cast.other_coordinator)
    make_measure(make_report(cast.round, make_partnership(cast.office, other_network)), 2_000, 0, name="Nabonettverket")
    make_measure(make_report(cast.round), 3_000, 0, name="Uten nettverk")
    elsewhere = make_report(make_round(year=2027))
    make_measure(elsewhere, 4_000, 0, name="Annet kontor")
    UnionParticipant.objects.create(report=elsewhere, role="Tillitsvalgt", name="Anna")  # no account: no access


pytestmark = pytest.mark.cast(then=with_measures_near_and_far)


def exported(client, user, **query):
    client.force_login(user)
    response = client.get(reverse("needs:measures_xlsx"), query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    return sorted(row[MEASURE_COLUMN] for row in rows[1:])


@pytest.mark.parametrize(
    ("who", "measures"),
    [
        ("owner_contact", ["Vårt tiltak"]),
        ("partner_contact", ["Vårt tiltak"]),
        ("union_rep", ["Vårt tiltak"]),
        ("coordinator", ["Vårt tiltak"]),
        ("other_coordinator", ["Nabonettverket"]),
        ("governor", ["Nabonettverket", "Uten nettverk", "Vårt tiltak"]),
        ("outsider", []),
    ],
)
def test_the_export_holds_only_the_measures_the_user_may_read(client, cast, who, measures):
    assert exported(client, getattr(cast, who)) == measures


def test_the_export_has_a_header_naming_the_measure_column(client, cast):
    client.force_login(cast.owner_contact)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("needs:measures_xlsx"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    header = next(sheet.iter_rows(values_only=True))
    assert header[MEASURE_COLUMN] == "Measure"


def test_the_export_can_be_limited_to_one_year(client, cast):
    make_measure(make_report(make_round(cast.office, year=2024), cast.report.partnership), 5, 0, name="Fra 2024")
    assert exported(client, cast.owner_contact) == ["Fra 2024", "Vårt tiltak"]
    assert exported(client, cast.owner_contact, year="2024") == ["Fra 2024"]


def test_a_measure_appears_once_however_many_ways_the_user_may_read_it(client, cast):
    UnionParticipant.objects.create(report=cast.report, role="Verneombud", name="Eier", user=cast.owner_contact)
    assert exported(client, cast.owner_contact) == ["Vårt tiltak"]
