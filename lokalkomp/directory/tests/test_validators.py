import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from lokalkomp.directory.models import Organisation
from lokalkomp.directory.validators import (
    clean_account_number,
    clean_email,
    clean_org_number,
    clean_phone,
    format_account_number,
    format_org_number,
)

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


# Edge cases: what a person may paste (spaces, dots, non-breaking spaces) and what must never pass
# (NUL bytes, which PostgreSQL cannot store, and digits of other scripts, which are not register numbers).


@pytest.mark.parametrize("value", ["938 712 441", " 938712441 ", "938\u00a0712\u00a0441"])
def test_an_org_number_may_be_written_with_spaces(value):
    assert clean_org_number(value) == "938712441"


def test_an_org_number_in_full_width_digits_is_read_as_its_plain_digits():
    assert clean_org_number("１２３４５６７８５") == "123456785"


@pytest.mark.parametrize(
    "value",
    [
        "",
        "93871244",  # 8 digits
        "9387124411",  # 10 digits
        "938-712-441",
        "938.712.441",
        "938712441\x00",
        "93871\x002441",
        "1²3456785",  # a superscript two in 123456785
        "١٢٣٤٥٦٧٨٥",  # 123456785 in Arabic-Indic digits
        "1\u200b23456785",  # a zero-width space
        "NO938712441MVA",
    ],
)
def test_it_rejects_what_is_not_nine_plain_digits_as_an_org_number(value):
    with pytest.raises(ValidationError) as error:
        clean_org_number(value)
    assert error.value.code == "invalid_org_number"


@pytest.mark.parametrize("value", ["4516 27 94918", "4516.27.94918", "4516\u00a027\u00a094918", "\t4516 27 94918\n"])
def test_an_account_number_may_be_written_with_spaces_and_dots(value):
    assert clean_account_number(value) == "45162794918"


@pytest.mark.parametrize(
    "value",
    [
        "",
        "1234567",  # python-stdnum alone would pad 7 to 10 digits with zeros
        "0000 12 34567",  # no bank has the code 0000
        "4516-27-94918",
        "4516,27,94918",
        "45162794918\x00",
        "4516279\x004918",
        "4516²794918",
        "٤٥١٦٢٧٩٤٩١٨",  # 45162794918 in Arabic-Indic digits
        "４５１６２７９４９１８",  # and in full-width digits
    ],
)
def test_it_rejects_what_is_not_eleven_plain_digits_as_an_account_number(value):
    with pytest.raises(ValidationError) as error:
        clean_account_number(value)
    assert error.value.code == "invalid_account_number"


def test_the_account_number_message_quotes_at_most_40_characters_of_what_was_typed():
    with translation.override("nb"), pytest.raises(ValidationError) as error:
        clean_account_number("  " + "9" * 100)
    assert error.value.messages[0] == f"{'9' * 40} er ikke et gyldig kontonummer (11 siffer med gyldig kontrollsiffer)."


def test_it_shows_org_numbers_in_groups_of_three_and_nothing_for_none():
    assert format_org_number("938712441") == "938 712 441"
    assert format_org_number("") == format_account_number("") == ""


@pytest.mark.parametrize(
    "value",
    [
        "40000000",
        "400 00 000",
        "400\u00a000\u00a0000",
        "+47 400 00 000",
        "0047 40000000",
        "+46 70 123 45 67",
        "+123456789012345",  # E.164's 15 digits
    ],
)
def test_it_accepts_norwegian_and_international_phone_numbers_as_typed(value):
    assert clean_phone(f"  {value} ") == value


@pytest.mark.parametrize(
    "value",
    [
        "",
        "4000000",  # 7 digits
        "400000000",  # 9 digits, no country code
        "400-00-000",
        "(+47) 40000000",
        "+0 123456789",  # no country code starts with 0
        "+123456",  # too short to be a number anywhere
        "+1234567890123456",  # longer than E.164 allows
        "40000000\x00",
        "4000000²",
        "٤٠٠٠٠٠٠٠",  # 40000000 in Arabic-Indic digits
    ],
)
def test_it_rejects_what_is_not_a_phone_number_and_says_how_to_write_one(value):
    with translation.override("nb"), pytest.raises(ValidationError) as error:
        clean_phone(value)
    assert error.value.code == "invalid_phone"
    assert "400 00 000" in error.value.messages[0]


def test_it_accepts_an_e_mail_address_and_trims_it():
    assert clean_email("  navn@kommune.no ") == "navn@kommune.no"


@pytest.mark.parametrize(
    "value",
    ["", "navn", "@kommune.no", "navn@kommune", "navn@localhost", "navn@[127.0.0.1]", "navn@kommune.no\x00", "a@b.c"],
)
def test_it_rejects_an_e_mail_address_that_mail_cannot_reach(value):
    with translation.override("nb"), pytest.raises(ValidationError) as error:
        clean_email(value)
    assert error.value.code == "invalid_email"
    assert "navn@kommune.no" in error.value.messages[0]


@pytest.mark.django_db
def test_an_organisation_keeps_its_numbers_and_shows_them_the_norwegian_way():
    org = Organisation(
        kind=Organisation.Kind.MUNICIPALITY, name="X", org_number="938712441", account_number="45162794918"
    )
    org.full_clean()
    assert (org.org_number_display, org.account_number_display) == ("938 712 441", "4516.27.94918")


@pytest.mark.django_db
def test_an_organisation_does_not_store_an_org_number_in_other_digits_even_one_the_check_reads():
    org = Organisation(kind=Organisation.Kind.MUNICIPALITY, name="X", org_number="１２３４５６７８５")
    with pytest.raises(ValidationError) as error:
        org.full_clean()
    assert error.value.message_dict == {"__all__": ['Begrensning "org_number_nine_digits" er brutt.']}
