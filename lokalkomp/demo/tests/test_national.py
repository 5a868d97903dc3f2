"""The national data generator at a tiny scale: what it builds, and that a seed reproduces it."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from stdnum.no import kontonr, orgnr

from lokalkomp.accounts.models import User
from lokalkomp.demo import national
from lokalkomp.directory.models import Municipality, Network, Office, Organisation
from lokalkomp.needs.models import Contact, Measure, NeedsReport, NeedsReportEvent, Partnership
from lokalkomp.schemes.models import Round

pytestmark = pytest.mark.django_db
TINY = {"years": 1, "scale": 0.01, "last_year": 2027}


def _generate(seed: int = 1, **options: object) -> dict[str, int]:
    return national.generate(**{**TINY, "seed": seed, **options, "log": lambda _line: None})  # type: ignore[arg-type]


def test_it_builds_every_office_municipality_and_network_with_a_report_per_partnership() -> None:
    counts = _generate()
    assert Office.objects.count() == 10
    assert Municipality.objects.count() == 357
    assert 40 <= Network.objects.count() <= 50
    assert counts["partnership"] == Partnership.objects.count() >= Network.objects.count()
    assert NeedsReport.objects.count() == Partnership.objects.count() == counts["needsreport"]
    assert Measure.objects.count() >= 3 * NeedsReport.objects.count()
    assert Round.objects.filter(year=2027).count() == 10


def test_the_same_seed_gives_the_same_measures_and_another_seed_does_not() -> None:
    _generate(seed=1)
    first = national.fingerprint()
    national.clear()
    _generate(seed=1)
    assert national.fingerprint() == first
    national.clear()
    _generate(seed=2)
    assert national.fingerprint() != first


def test_owners_and_partners_have_valid_mod11_numbers() -> None:
    _generate()
    owners = Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY)
    assert owners.count() == 357
    for org in Organisation.objects.exclude(org_number=""):
        assert orgnr.is_valid(org.org_number), org
    for org in Organisation.objects.exclude(account_number=""):
        assert kontonr.is_valid(org.account_number), org


def test_the_newest_round_is_mostly_drafts_and_older_rounds_are_submitted_with_events() -> None:
    _generate(years=2, scale=0.02)
    old = NeedsReport.objects.filter(round__year=2026)
    assert old.exists() and not old.exclude(status="submitted").exists()
    assert NeedsReport.objects.filter(round__year=2027, status="draft").count() > 0
    assert NeedsReportEvent.objects.filter(to_status="submitted").count() == NeedsReport.objects.submitted().count()
    assert Measure.objects.filter(report__round__year=2027, continued_from__isnull=False).exists()


def test_every_owner_contact_can_sign_in_with_the_shared_password() -> None:
    _generate()
    contact = Contact.objects.filter(participant__side="owner", user__isnull=False).select_related("user").first()
    assert contact is not None and contact.user is not None
    assert contact.user.check_password(national.PASSWORD)
    assert User.objects.filter(is_superuser=True, email=national.ADMIN_EMAIL).exists()


def test_the_command_refuses_a_database_that_already_has_data() -> None:
    call_command("generate_national", "--years", "1", "--scale", "0.01", "--last-year", "2027", stdout=None)
    with pytest.raises(CommandError, match="--clear"):
        call_command("generate_national", "--years", "1", "--scale", "0.01", "--last-year", "2027")
    call_command("generate_national", "--years", "1", "--scale", "0.01", "--last-year", "2027", "--clear")
    assert Office.objects.count() == 10


def test_the_command_with_if_empty_leaves_existing_data_alone() -> None:
    call_command("generate_national", "--years", "1", "--scale", "0.01", "--last-year", "2027")
    before = Measure.objects.count()
    call_command("generate_national", "--years", "1", "--scale", "0.01", "--last-year", "2027", "--if-empty")
    assert Measure.objects.count() == before
