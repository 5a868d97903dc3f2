import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from lokalkomp.directory.models import Organisation
from lokalkomp.directory.validators import clean_account_number, clean_org_number, format_account_number

SEED_ORG_NUMBERS = ["938 712 441", "918108467"]
SEED_ACCOUNT_NUMBERS = ["4516.27.94918", "7694.05.00660", "4516 27 94918"]


@pytest.mark.parametrize("value", SEED_ORG_NUMBERS)
def test_the_seed_org_numbers_are_valid(value):
    assert clean_org_number(value) == value.replace(" ", "")


@pytest.mark.parametrize("value", SEED_ACCOUNT_NUMBERS)
def test_the_seed_account_numbers_are_valid(value):
    assert len(clean_account_number(value)) == 11


def test_it_shows_account_numbers_the_norwegian_way():
    assert format_account_number("45162794918") == "4516.27.94918"


@pytest.mark.parametrize("value", ["938712442", "918108468", "928712441"])
def test_it_rejects_an_org_number_with_a_changed_digit_in_norwegian(value):
    with translation.override("nb"), pytest.raises(ValidationError) as error:
        clean_org_number(value)
    assert "ikke et gyldig organisasjonsnummer" in error.value.messages[0]


@pytest.mark.parametrize("value", ["4516.27.94919", "7694.05.00661", "1234"])
def test_it_rejects_an_account_number_with_a_changed_digit_in_norwegian(value):
    with translation.override("nb"), pytest.raises(ValidationError) as error:
        clean_account_number(value)
    assert "ikke et gyldig kontonummer" in error.value.messages[0]


def test_it_does_not_require_the_org_number_to_start_with_8_or_9():
    # 0-prefixed numbers with a valid MOD11 digit exist in the register's number space.
    assert clean_org_number("123456785") == "123456785"


@pytest.mark.django_db
def test_an_organisation_with_a_bad_account_number_fails_full_clean_with_the_field_named():
    org = Organisation(
        kind=Organisation.Kind.MUNICIPALITY, name="X", org_number="938712441", account_number="45162794919"
    )
    with translation.override("nb"), pytest.raises(ValidationError) as error:
        org.full_clean()
    assert list(error.value.message_dict) == ["account_number"]
