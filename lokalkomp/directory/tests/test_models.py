"""The directory's rows: what they are called, where they link, and the rules the database holds."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from lokalkomp.directory.models import County, Forum, ForumMember, Municipality, Network, Organisation, Unit
from lokalkomp.testing import make_municipality, make_network, make_office, make_organisation

pytestmark = pytest.mark.django_db


def refused(make) -> bool:
    """Whether the database refuses the row (a constraint), leaving the test's transaction usable."""
    try:
        with transaction.atomic():
            make()
    except IntegrityError:
        return True
    return False


def test_offices_counties_and_municipalities_are_named_with_their_numbers():
    office = make_office("nordland")
    county = County.objects.create(number="18", name="Nordland", office=office)
    municipality = Municipality.objects.create(number="1826", name="Hattfjelldal", county=county)
    assert (str(office), str(county), str(municipality)) == (office.name, "18 Nordland", "1826 Hattfjelldal")
    assert municipality.language_form == "neutral"


def test_a_network_links_to_its_page_under_its_office():
    network = make_network(make_office("nordland"))
    assert network.get_absolute_url() == reverse("directory:network", args=["nordland", network.slug])
    assert network.get_absolute_url() == f"/nettverk/nordland/{network.slug}/"


def test_two_offices_may_have_a_network_of_the_same_code_but_one_office_may_not():
    first, second = make_office(), make_office()
    Network.objects.create(office=first, name="Ytre Helgeland", slug="ytre-helgeland")
    assert not refused(lambda: Network.objects.create(office=second, name="Ytre Helgeland", slug="ytre-helgeland"))
    assert refused(lambda: Network.objects.create(office=first, name="Ytre Helgeland 2", slug="ytre-helgeland"))


def test_only_reviewed_organisations_are_in_the_directory():
    vouched = make_organisation(name="Kommune A")
    typed = make_organisation(name="Skrevet inn", reviewed=False)
    assert list(Organisation.objects.reviewed()) == [vouched]
    assert typed in Organisation.objects.all()


def test_an_organisation_shows_empty_numbers_as_nothing():
    organisation = make_organisation()
    assert (organisation.org_number_display, organisation.account_number_display) == ("", "")


def test_many_organisations_may_lack_an_org_number_but_two_may_not_share_one():
    make_organisation(org_number="938712441")
    make_organisation(), make_organisation()  # blank numbers: no conflict
    assert refused(lambda: make_organisation(org_number="938712441"))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("org_number", "93871244"),
        ("org_number", "93871244x"),
        ("account_number", "4516279491"),
        ("account_number", "4516.27.949"),
    ],
)
def test_the_database_holds_only_plain_digits_of_the_right_length(field, value):
    assert refused(lambda: make_organisation(**{field: value}))


@pytest.mark.parametrize("number", ["1", "A1", "1 "])
def test_county_numbers_are_two_digits(number):
    assert refused(lambda: County.objects.create(number=number, name="X", office=make_office()))


@pytest.mark.parametrize("number", ["182", "18A6", "1 26"])
def test_municipality_numbers_are_four_digits(number):
    county = make_municipality().county
    assert refused(lambda: Municipality.objects.create(number=number, name="X", county=county))


def test_a_unit_name_is_unique_per_owner():
    owner, other = make_organisation(), make_organisation()
    Unit.objects.create(owner=owner, kind=Unit.Kind.PUBLIC_SCHOOL, name="Sentrum skole")
    assert not refused(lambda: Unit.objects.create(owner=other, kind=Unit.Kind.PUBLIC_SCHOOL, name="Sentrum skole"))
    assert refused(lambda: Unit.objects.create(owner=owner, kind=Unit.Kind.PP_SERVICE, name="Sentrum skole"))
    assert str(Unit.objects.get(owner=owner)) == "Sentrum skole"


@pytest.fixture
def forum():
    return Forum.objects.create(office=make_office(), name="Samarbeidsforum")


def test_a_forum_seat_is_named_by_its_organisation_and_role(forum):
    seat = ForumMember.objects.create(forum=forum, organisation=make_organisation(name="KS"), role="deputy")
    assert str(seat) == "KS (Varamedlem)"
    assert str(forum) == "Samarbeidsforum"


@pytest.mark.parametrize("role", ["secretariat", "observer"])
def test_the_secretariat_and_observers_never_vote(forum, role):
    organisation = make_organisation()
    assert refused(lambda: ForumMember.objects.create(forum=forum, organisation=organisation, role=role, votes=True))
    ForumMember.objects.create(forum=forum, organisation=organisation, role=role, votes=False)


def test_the_statsforvalter_has_no_vote_even_as_a_member(forum):
    governor = make_organisation(Organisation.Kind.GOVERNOR, name="Statsforvalteren")
    seat = ForumMember(forum=forum, organisation=governor, role="member", votes=True)
    with pytest.raises(ValidationError) as error:
        seat.clean()
    assert error.value.message_dict == {"votes": ["Statsforvalteren har ikke stemmerett i samarbeidsforumet."]}
    seat.votes = False
    seat.clean()


def test_an_organisation_holds_one_seat_per_role_in_a_forum(forum):
    organisation = make_organisation()
    ForumMember.objects.create(forum=forum, organisation=organisation, role="member")
    assert refused(lambda: ForumMember.objects.create(forum=forum, organisation=organisation, role="member"))
    assert not refused(lambda: ForumMember.objects.create(forum=forum, organisation=organisation, role="deputy"))
