"""Autosave of one field (`needs:save`): parsing, validation, pending values, totals, history."""

import pytest
from django.test import Client
from django.urls import reverse

from lokalkomp.needs.models import (
    Contact,
    Continuation,
    FieldEdit,
    Measure,
    NeedsReport,
    NeedsReportScheme,
    Participant,
    UnionParticipant,
)
from lokalkomp.testing import add_contact, make_measure, make_report, make_user, mark_reauthenticated

ENGLISH_AMOUNT_MESSAGE = "Write a whole number of kroner"


def autosave(client, report, key, value, base=None):
    data = {"key": key, key: value}
    if base is not None:
        data[f"base:{key}"] = base
    return client.post(reverse("needs:save", args=[report.pk]), data, headers={"HX-Request": "true"})


def body(response):
    return response.content.decode().replace("\u00a0", " ")


@pytest.fixture
def measure(cast):
    return make_measure(cast.report, name="Lesing i barnehagen")


@pytest.fixture
def owner(client, cast):
    client.force_login(cast.owner_contact)
    mark_reauthenticated(client, cast.owner_contact)  # account numbers need a fresh password
    return client


@pytest.mark.parametrize("typed", ["kr 120 000", "120000", "120 000,-", "Kr 120\u00a0000"])
def test_it_saves_an_amount_written_the_norwegian_way_as_whole_kroner(owner, cast, measure, typed):
    key = f"measure:{measure.pk}:owner_amount"
    response = autosave(owner, cast.report, key, typed, base="0")
    assert response.status_code == 200
    measure.refresh_from_db()
    assert measure.owner_amount == 120_000
    assert 'value="120 000"' in body(response)  # the new base, as the field shows it


@pytest.mark.parametrize("typed", ["12abc", "-5", "12,5"])
def test_it_rejects_an_amount_that_is_not_whole_kroner(owner, cast, measure, typed):
    key = f"measure:{measure.pk}:owner_amount"
    response = autosave(owner, cast.report, key, typed, base="0")
    assert response.status_code == 422
    assert "ds-validation-message" in body(response)
    assert "120 000" in body(response)  # the message shows an example
    measure.refresh_from_db()
    assert measure.owner_amount == 0
    assert not FieldEdit.objects.filter(key=key).exists()


def test_the_message_for_an_invalid_amount_is_in_bokmal_by_default(owner, cast, measure):
    response = autosave(owner, cast.report, f"measure:{measure.pk}:owner_amount", "12abc", base="0")
    assert response.status_code == 422
    assert response.headers["Content-Language"] == "nb"
    assert ENGLISH_AMOUNT_MESSAGE not in body(response), "the message is not translated to bokmål"


def test_the_message_follows_the_language_cookie(owner, cast, measure):
    owner.cookies["django_language"] = "en"
    response = autosave(owner, cast.report, f"measure:{measure.pk}:owner_amount", "12abc", base="0")
    assert response.status_code == 422
    assert ENGLISH_AMOUNT_MESSAGE in body(response)


def test_an_invalid_value_is_kept_and_shown_again_with_its_message_on_reload(owner, cast, measure):
    owner.cookies["django_language"] = "en"
    key = f"measure:{measure.pk}:owner_amount"
    autosave(owner, cast.report, key, "12abc", base="0")
    assert NeedsReport.objects.get(pk=cast.report.pk).pending == {key: "12abc"}

    page = body(owner.get(reverse("needs:measure", args=[cast.report.pk, measure.pk])))
    assert f'name="{key}" value="12abc"' in page
    assert 'aria-invalid="true"' in page
    assert ENGLISH_AMOUNT_MESSAGE in page
    assert f'name="base:{key}" value="0"' in page  # the base is still the stored value


def test_a_valid_save_clears_the_kept_invalid_value(owner, cast, measure):
    key = f"measure:{measure.pk}:owner_amount"
    autosave(owner, cast.report, key, "12abc", base="0")
    response = autosave(owner, cast.report, key, "12 000", base="0")
    assert response.status_code == 200
    assert NeedsReport.objects.get(pk=cast.report.pk).pending == {}
    page = body(owner.get(reverse("needs:measure", args=[cast.report.pk, measure.pk])))
    assert f'name="{key}" value="12 000"' in page
    assert "12abc" not in page


def test_typing_the_stored_value_again_clears_the_kept_invalid_value(owner, cast, measure):
    key = f"measure:{measure.pk}:owner_amount"
    autosave(owner, cast.report, key, "12abc", base="0")
    response = autosave(owner, cast.report, key, "0", base="0")
    assert response.status_code == 200
    assert NeedsReport.objects.get(pk=cast.report.pk).pending == {}


def test_an_amount_answers_with_the_new_totals_out_of_band(owner, cast, measure):
    make_measure(cast.report, owner=5_000, partner=1_000)
    response = autosave(owner, cast.report, f"measure:{measure.pk}:partner_amount", "120 000", base="0")
    html = body(response)
    assert response.status_code == 200
    assert 'id="totals"' in html and 'hx-swap-oob="true"' in html
    assert "kr 121 000" in html  # UH: 120 000 + 1 000
    assert "kr 126 000" in html  # total: 5 000 + 121 000


def test_a_text_field_answers_without_totals(owner, cast, measure):
    response = autosave(owner, cast.report, f"measure:{measure.pk}:description", "Mer lesing", base="")
    assert response.status_code == 200
    assert 'id="totals"' not in body(response)
    assert Measure.objects.get(pk=measure.pk).description == "Mer lesing"


def test_each_saved_change_is_recorded_with_who_made_it_and_raises_the_version(owner, cast, measure):
    key = f"measure:{measure.pk}:owner_amount"
    version = NeedsReport.objects.get(pk=cast.report.pk).version
    autosave(owner, cast.report, key, "100", base="0")
    autosave(owner, cast.report, key, "200", base="100")
    edits = list(FieldEdit.objects.filter(report=cast.report, key=key).values_list("value", "by"))
    assert edits == [("100", cast.owner_contact.pk), ("200", cast.owner_contact.pk)]
    assert NeedsReport.objects.get(pk=cast.report.pk).version == version + 2


def test_saving_an_unchanged_value_records_nothing(owner, cast, measure):
    version = NeedsReport.objects.get(pk=cast.report.pk).version
    response = autosave(
        owner, cast.report, f"measure:{measure.pk}:name", "Lesing i barnehagen", base="Lesing i barnehagen"
    )
    assert response.status_code == 200
    assert not FieldEdit.objects.filter(report=cast.report).exists()
    assert NeedsReport.objects.get(pk=cast.report.pk).version == version


def test_an_emptied_measure_name_is_refused_as_required(owner, cast, measure):
    response = autosave(owner, cast.report, f"measure:{measure.pk}:name", "   ", base="Lesing i barnehagen")
    assert response.status_code == 422
    assert "Dette feltet må fylles ut." in body(response)
    assert Measure.objects.get(pk=measure.pk).name == "Lesing i barnehagen"


def _lead(report, side):
    return Participant.objects.get(partnership=report.partnership, side=side, is_lead=True)


def test_changing_an_account_number_needs_the_password_again(cast):
    owner = Client()
    owner.force_login(cast.owner_contact)  # signed in long enough ago that no re-authentication is on record
    participant = Participant.objects.get(partnership=cast.report.partnership, side="owner", is_lead=True)
    key = f"participant:{participant.pk}:account_number"
    response = owner.post(
        reverse("needs:save", args=[cast.report.pk]),
        {"key": key, key: "4516.27.94918", f"base:{key}": ""},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 401
    assert "/konto/reauthenticate/" in response.content.decode()
    participant.refresh_from_db()
    assert participant.account_number == ""


def test_it_accepts_a_valid_account_number_and_stores_its_digits(owner, cast):
    participant = _lead(cast.report, "owner")
    key = f"participant:{participant.pk}:account_number"
    response = autosave(owner, cast.report, key, "4516.27.94918", base="")
    assert response.status_code == 200
    assert 'value="4516.27.94918"' in body(response)
    participant.refresh_from_db()
    assert participant.account_number == "45162794918"


def test_it_rejects_an_account_number_with_a_wrong_check_digit(owner, cast):
    participant = _lead(cast.report, "owner")
    key = f"participant:{participant.pk}:account_number"
    owner.cookies["django_language"] = "en"
    response = autosave(owner, cast.report, key, "4516.27.94919", base="")
    assert response.status_code == 422
    assert "is not a valid account number" in body(response)
    participant.refresh_from_db()
    assert participant.account_number == ""
    assert NeedsReport.objects.get(pk=cast.report.pk).pending == {key: "4516.27.94919"}


@pytest.mark.parametrize(
    ("field", "good", "bad"),
    [("email", "tone@kommune.no", "tone@"), ("phone", "400 00 000", "12")],
)
def test_it_validates_a_contacts_email_and_phone(owner, cast, field, good, bad):
    contact = _lead(cast.report, "owner").contacts.get(user=cast.owner_contact)
    key = f"contact:{contact.pk}:{field}"
    before = getattr(contact, field)
    refused = autosave(owner, cast.report, key, bad, base=before)
    assert refused.status_code == 422
    contact.refresh_from_db()
    assert getattr(contact, field) == before

    saved = autosave(owner, cast.report, key, good, base=before)
    assert saved.status_code == 200
    contact.refresh_from_db()
    assert getattr(contact, field) == good


def test_a_choice_outside_the_options_is_refused(owner, cast, measure):
    response = autosave(owner, cast.report, f"measure:{measure.pk}:purpose", "holidays", base="")
    assert response.status_code == 422
    assert Measure.objects.get(pk=measure.pk).purpose == ""


def test_semesters_are_saved_as_a_list_of_the_checked_codes(owner, cast, measure):
    key = f"measure:{measure.pk}:semesters"
    response = owner.post(
        reverse("needs:save", args=[cast.report.pk]),
        {"key": key, key: ["2027-spring", "2027-autumn"], f"base:{key}": ""},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert Measure.objects.get(pk=measure.pk).semesters == ["2027-spring", "2027-autumn"]


def test_an_unknown_field_is_not_found(owner, cast, measure):
    response = autosave(owner, cast.report, f"measure:{measure.pk}:report_id", "1", base="")
    assert response.status_code == 404


def test_an_anonymous_save_answers_401_with_a_message(client, cast, measure):
    response = autosave(client, cast.report, f"measure:{measure.pk}:name", "X", base="")
    assert response.status_code == 401
    assert f'id="msg-measure-{measure.pk}-name"' in body(response)
    assert Measure.objects.get(pk=measure.pk).name == "Lesing i barnehagen"


@pytest.mark.parametrize("kind", ["report", "measure", "continuation", "participant", "contact", "union", "scheme"])
def test_a_key_naming_a_row_of_another_partnership_is_not_found(owner, cast, kind):
    other = make_report(cast.round)
    add_contact(other, make_user())
    foreign_measure = make_measure(other, name="Fremmed")
    rows = {
        "report": (other, "public_schools"),
        "measure": (foreign_measure, "name"),
        "continuation": (Continuation.objects.create(measure=foreign_measure, period="2028-autumn"), "owner_reason"),
        "participant": (Participant.objects.filter(partnership=other.partnership).first(), "payment_reference"),
        "contact": (Contact.objects.get(participant__partnership=other.partnership), "name"),
        "union": (UnionParticipant.objects.create(report=other, role="Tillitsvalgt", name="Anna"), "name"),
        "scheme": (NeedsReportScheme.objects.get(report=other), "co_financing_form"),
    }
    row, field = rows[kind]
    before = getattr(row, field)
    response = autosave(owner, cast.report, f"{kind}:{row.pk}:{field}", "7", base=str(before or ""))
    assert response.status_code == 404
    row.refresh_from_db()
    assert getattr(row, field) == before
    assert not FieldEdit.objects.exists()


def test_an_amount_too_large_for_the_database_is_refused(owner, cast, measure):
    key = f"measure:{measure.pk}:owner_amount"
    response = autosave(owner, cast.report, key, "99 999 999 999 999 999 999", base="0")
    assert response.status_code == 422
    assert Measure.objects.get(pk=measure.pk).owner_amount == 0


def test_a_name_longer_than_the_field_allows_is_refused(owner, cast, measure):
    response = autosave(owner, cast.report, f"measure:{measure.pk}:name", "x" * 301, base="Lesing i barnehagen")
    assert response.status_code == 422
    assert Measure.objects.get(pk=measure.pk).name == "Lesing i barnehagen"


def test_a_yes_or_no_answer_other_than_yes_or_no_is_refused(owner, cast):
    NeedsReport.objects.filter(pk=cast.report.pk).update(union_discussed=True)
    key = f"report:{cast.report.pk}:union_discussed"
    response = autosave(owner, cast.report, key, "kanskje", base="true")
    assert response.status_code == 422
    assert NeedsReport.objects.get(pk=cast.report.pk).union_discussed is True


def test_a_semester_outside_the_round_is_refused(owner, cast, measure):
    key = f"measure:{measure.pk}:semesters"
    response = autosave(owner, cast.report, key, "1999-spring", base="")
    assert response.status_code == 422
    assert Measure.objects.get(pk=measure.pk).semesters == []
