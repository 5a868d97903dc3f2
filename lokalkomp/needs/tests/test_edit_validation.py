"""What the form accepts, what it refuses and with which message: no input gives a 500 or is silently changed.

Issue 9 ("Input that gets a 500 today", "Input that is silently changed today") and issue 8 (text fields
have a length limit the form states). Run on SQLite and on PostgreSQL (DATABASE_URL).
"""

import html
import re

import pytest
from django.urls import reverse

from lokalkomp.needs.models import LONG_TEXT, Contact, FieldEdit, Measure, NeedsReport, Participant
from lokalkomp.testing import make_measure, mark_reauthenticated


def autosave(client, report, key, *values, base=None, send_key=True):
    data = {"key": key}
    if send_key:
        data[key] = list(values)
    if base is not None:
        data[f"base:{key}"] = base
    return client.post(reverse("needs:save", args=[report.pk]), data, headers={"HX-Request": "true"})


def body(response):
    return html.unescape(response.content.decode()).replace("\u00a0", " ")


def message(response):
    found = re.search(r'data-field="validation">([^<]+)</p>', body(response))
    return found[1] if found else ""


@pytest.fixture
def owner(client, cast):
    client.force_login(cast.owner_contact)
    mark_reauthenticated(client, cast.owner_contact)
    return client


@pytest.fixture
def measure(cast):
    return make_measure(cast.report, name="Lesing")


def paid(cast, side="owner"):
    return Participant.objects.get(partnership=cast.report.partnership, side=side, is_lead=True)


# ── Account numbers ────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("typed", ["1234566", "00000000000", "0000000000", "4516²794918", "4516.27.9491"])
def test_an_account_number_that_is_not_eleven_digits_is_refused_in_norwegian_not_stored(owner, cast, typed):
    key = f"participant:{paid(cast).pk}:account_number"
    response = autosave(owner, cast.report, key, typed, base="")
    assert response.status_code == 422
    assert "ikke et gyldig kontonummer (11 siffer" in message(response)
    assert "Lagret" not in body(response)
    assert paid(cast).account_number == ""


@pytest.mark.parametrize("typed", ["4516.27.94918", "4516 27 94918", "45162794918"])
def test_an_account_number_of_eleven_digits_with_dots_or_spaces_is_stored_as_its_digits(owner, cast, typed):
    key = f"participant:{paid(cast).pk}:account_number"
    assert autosave(owner, cast.report, key, typed, base="").status_code == 200
    assert paid(cast).account_number == "45162794918"


def test_adding_a_participant_with_a_seven_digit_account_number_is_refused_with_a_message(owner, cast):
    response = owner.post(
        reverse("needs:add_row", args=[cast.report.pk, "participant"]),
        {
            "participant-side": "owner",
            "participant-name": "Ny kommune",
            "participant-org_number": "938712441",
            "participant-account_number": "1234566",
        },
    )
    assert response.status_code == 422
    assert "ikke et gyldig kontonummer" in body(response)
    assert not Participant.objects.filter(organisation__org_number="938712441").exists()


# ── NUL and control characters ─────────────────────────────────────────────────────────


@pytest.mark.parametrize("field", ["name", "description"])
def test_a_nul_byte_in_an_autosaved_text_is_refused_in_norwegian_and_the_rest_is_kept(owner, cast, measure, field):
    key = f"measure:{measure.pk}:{field}"
    response = autosave(owner, cast.report, key, "Les\x00ing", base=getattr(measure, field))
    assert response.status_code == 422
    assert "kontrolltegn" in message(response)
    cast.report.refresh_from_db()
    assert cast.report.pending[key] == "Lesing"  # kept for the person, without the NUL


def test_a_nul_byte_in_a_kept_invalid_amount_does_not_break_the_save_or_the_page(owner, cast, measure):
    key = f"measure:{measure.pk}:owner_amount"
    response = autosave(owner, cast.report, key, "1\x002", base="0")
    assert response.status_code == 422
    page = owner.get(reverse("needs:measure", args=[cast.report.pk, measure.pk]))
    assert page.status_code == 200
    assert f'name="{key}" value="12"' in body(page)


# ── Numbers: caps, and the message about counts ────────────────────────────────────────


@pytest.mark.parametrize("typed", ["2147483648", "10001", "99999999999999999999"])
def test_a_unit_count_over_ten_thousand_is_refused_with_a_message_about_counts_not_kroner(owner, cast, typed):
    key = f"report:{cast.report.pk}:public_schools"
    response = autosave(owner, cast.report, key, typed, base="")
    assert response.status_code == 422
    text = message(response)
    assert "antallet" in text and "10 000" in text
    assert "kroner" not in text
    cast.report.refresh_from_db()
    assert cast.report.public_schools is None


def test_a_unit_count_of_ten_thousand_is_stored(owner, cast):
    key = f"report:{cast.report.pk}:public_schools"
    assert autosave(owner, cast.report, key, "10 000", base="").status_code == 200
    cast.report.refresh_from_db()
    assert cast.report.public_schools == 10_000


@pytest.mark.parametrize("typed", ["1 000 000 001", "9" * 30])
def test_an_amount_over_the_form_s_limit_is_refused_with_a_message_about_kroner(owner, cast, measure, typed):
    response = autosave(owner, cast.report, f"measure:{measure.pk}:owner_amount", typed, base="0")
    assert response.status_code == 422
    assert "kroner fra 0 til 1 000 000 000" in message(response)


# ── ² and other digits that are not 0-9 ────────────────────────────────────────────────


def test_a_superscript_digit_in_a_field_key_is_a_404_not_a_500(owner, cast):
    assert autosave(owner, cast.report, "measure:²:scheme", "1", base="").status_code == 404


def test_a_superscript_digit_as_the_measure_s_scheme_is_refused(owner, cast, measure):
    response = autosave(owner, cast.report, f"measure:{measure.pk}:scheme", "²", base=str(measure.scheme_id))
    assert response.status_code == 422


def test_a_superscript_digit_among_the_chosen_schemes_is_ignored(owner, cast):
    before = set(cast.report.report_schemes.values_list("scheme_id", flat=True))
    response = owner.post(reverse("needs:set_schemes", args=[cast.report.pk]), {"schemes": ["²", *map(str, before)]})
    assert response.status_code == 302
    assert set(cast.report.report_schemes.values_list("scheme_id", flat=True)) == before


def test_a_superscript_year_on_the_measures_export_is_ignored(owner):
    response = owner.get(reverse("needs:measures_xlsx"), {"year": "²"})
    assert response.status_code == 200
    b"".join(response.streaming_content) if response.streaming else response.content


def test_removing_a_row_of_an_unknown_kind_is_a_404(owner, cast):
    assert owner.post(reverse("needs:remove_row", args=[cast.report.pk, "foo", 1])).status_code == 404


# ── One transaction per save ───────────────────────────────────────────────────────────


def test_the_section_save_without_javascript_saves_nothing_when_one_field_fails(owner, cast):
    report = cast.report
    keys = {name: f"report:{report.pk}:{name}" for name in ("municipal_kindergartens", "public_schools")}
    response = owner.post(
        reverse("needs:save_section", args=[report.pk, "units"]),
        {
            keys["municipal_kindergartens"]: "12",
            f"base:{keys['municipal_kindergartens']}": "",
            keys["public_schools"]: "tolv",
            f"base:{keys['public_schools']}": "",
        },
    )
    assert response.status_code == 422
    report.refresh_from_db()
    assert (report.municipal_kindergartens, report.public_schools) == (None, None)
    assert not FieldEdit.objects.filter(report=report).exists()
    page = body(response)
    assert "Ingenting ble lagret" in page
    assert f'name="{keys["municipal_kindergartens"]}" value="12"' in page  # what was typed is shown again
    assert f'name="{keys["public_schools"]}" value="tolv"' in page
    assert "Ikke lagret, fordi et annet felt i skjemaet har en feil" in page


def test_the_section_save_without_javascript_saves_every_field_when_all_are_valid(owner, cast):
    report = cast.report
    keys = [f"report:{report.pk}:municipal_kindergartens", f"report:{report.pk}:public_schools"]
    response = owner.post(
        reverse("needs:save_section", args=[report.pk, "units"]),
        {keys[0]: "12", f"base:{keys[0]}": "", keys[1]: "3", f"base:{keys[1]}": ""},
    )
    assert response.status_code in {200, 302}  # 302: redirect after POST
    report.refresh_from_db()
    assert (report.municipal_kindergartens, report.public_schools) == (12, 3)


# ── Invisible characters, line breaks ──────────────────────────────────────────────────


@pytest.mark.parametrize("typed", ["\ufeff", "\u200f", "\u200b \u200b", "\ufeff\u00a0"])
def test_invisible_characters_do_not_fill_in_a_required_name(owner, cast, measure, typed):
    response = autosave(owner, cast.report, f"measure:{measure.pk}:name", typed, base=measure.name)
    assert response.status_code == 422
    assert message(response)
    measure.refresh_from_db()
    assert measure.name == "Lesing"


def test_invisible_characters_at_the_edges_of_a_name_are_not_stored(owner, cast, measure):
    autosave(owner, cast.report, f"measure:{measure.pk}:name", "\ufeffLesing og skriving\u200f", base=measure.name)
    measure.refresh_from_db()
    assert measure.name == "Lesing og skriving"


def test_adding_a_contact_whose_name_is_only_invisible_characters_is_refused(owner, cast):
    response = owner.post(
        reverse("needs:add_row", args=[cast.report.pk, "contact"]),
        {"contact-participant": paid(cast).pk, "contact-name": "\ufeff\u200b"},
    )
    assert response.status_code == 422
    assert not Contact.objects.filter(name__contains="\ufeff").exists()


def test_a_textarea_keeps_a_leading_newline_through_the_page(owner, cast, measure):
    Measure.objects.filter(pk=measure.pk).update(description="\nFørste linje er tom")
    page = owner.get(reverse("needs:measure", args=[cast.report.pk, measure.pk])).content.decode()
    # The HTML parser drops one newline right after <textarea>, so the template writes one of its own.
    assert f'maxlength="{LONG_TEXT}">\n\nFørste linje er tom</textarea>' in page


# ── Autosave requests that are malformed ───────────────────────────────────────────────


def test_a_key_without_its_value_is_refused_with_400_and_does_not_set_an_amount_to_zero(owner, cast):
    measure = make_measure(cast.report, 50_000, 0)
    key = f"measure:{measure.pk}:owner_amount"
    response = autosave(owner, cast.report, key, base="50 000", send_key=False)
    assert response.status_code == 400
    assert "ingen eller flere verdier" in message(response)
    measure.refresh_from_db()
    assert measure.owner_amount == 50_000


def test_repeated_values_for_one_field_are_refused_not_joined_with_commas(owner, cast, measure):
    response = autosave(owner, cast.report, f"measure:{measure.pk}:name", "A", "B", base=measure.name)
    assert response.status_code == 400
    measure.refresh_from_db()
    assert measure.name == "Lesing"


def test_a_semester_checked_twice_is_stored_once(owner, cast, measure):
    year = cast.report.round.year
    key = f"measure:{measure.pk}:semesters"
    response = autosave(owner, cast.report, key, f"{year}-autumn", f"{year}-spring", f"{year}-autumn", base="")
    assert response.status_code == 200
    measure.refresh_from_db()
    assert measure.semesters == [f"{year}-spring", f"{year}-autumn"]


@pytest.mark.parametrize("typed", ["a@localhost", "tone.dalen@@alstahaug", "a@[127.0.0.1]", "a@b"])
def test_an_e_mail_address_without_a_dot_in_its_domain_is_refused(owner, cast, typed):
    contact = Contact.objects.filter(participant__partnership=cast.report.partnership).first()
    response = autosave(owner, cast.report, f"contact:{contact.pk}:email", typed, base=contact.email)
    assert response.status_code == 422
    assert "gyldig e-postadresse" in message(response)


@pytest.mark.parametrize(
    ("typed", "ok"),
    [
        ("400 00 000", True),
        ("+47 400 00 000", True),
        ("+46 70 123 45 67", True),
        ("1234567", False),
        ("123456789", False),
        ("400 00 00a", False),
    ],
)
def test_the_phone_rule_is_the_one_its_message_states(owner, cast, typed, ok):
    contact = Contact.objects.filter(participant__partnership=cast.report.partnership).first()
    response = autosave(owner, cast.report, f"contact:{contact.pk}:phone", typed, base=contact.phone)
    assert (response.status_code == 200) is ok
    if not ok:
        assert "8 siffer, for eksempel 400 00 000, eller med landskode" in message(response)
        form = owner.post(
            reverse("needs:add_row", args=[cast.report.pk, "contact"]),
            {"contact-participant": paid(cast).pk, "contact-name": "Kari", "contact-phone": typed},
        )
        assert form.status_code == 422
        assert "8 siffer, for eksempel 400 00 000, eller med landskode" in body(form)


# ── A stored value over the limit can be corrected ─────────────────────────────────────


def test_an_imported_amount_over_the_limit_can_be_corrected(owner, cast):
    measure = make_measure(cast.report, 5_000_000_000_000, 0)
    key = f"measure:{measure.pk}:owner_amount"
    page = body(owner.get(reverse("needs:measure", args=[cast.report.pk, measure.pk])))
    base = re.search(rf'name="base:{key}" value="([^"]*)"', page)[1]
    assert base == "5 000 000 000 000"
    response = autosave(owner, cast.report, key, "500 000", base=base)
    assert response.status_code == 200
    measure.refresh_from_db()
    assert measure.owner_amount == 500_000


def test_keep_mine_after_a_conflict_on_an_over_limit_amount_saves(owner, cast):
    measure = make_measure(cast.report, 5_000_000_000_000, 0)
    key = f"measure:{measure.pk}:owner_amount"
    conflict = autosave(owner, cast.report, key, "500 000", base="1")
    assert conflict.status_code == 409
    theirs = re.search(r'id="theirs-[^"]*">([^<]*)<', body(conflict))[1]
    assert autosave(owner, cast.report, key, "500 000", base=theirs).status_code == 200  # «Behold min»


# ── Length limits (issue 8) ────────────────────────────────────────────────────────────


def test_every_text_field_of_a_measure_has_a_maximum_length(measure):
    for name in ("name", *Measure.NARRATIVE_FIELDS):
        assert Measure._meta.get_field(name).max_length, name


def test_a_text_over_its_maximum_length_is_refused_and_not_stored(owner, cast, measure):
    key = f"measure:{measure.pk}:description"
    response = autosave(owner, cast.report, key, "x" * (LONG_TEXT + 1), base="")
    assert response.status_code == 422
    assert "høyst 10 000 tegn" in message(response)
    measure.refresh_from_db()
    assert measure.description == ""
    assert autosave(owner, cast.report, key, "x" * LONG_TEXT, base="").status_code == 200


def test_the_form_states_the_maximum_length_of_each_text_field(owner, cast, measure):
    page = body(owner.get(reverse("needs:measure", args=[cast.report.pk, measure.pk])))
    assert f'id="measure-{measure.pk}-description"' in page
    assert re.search(rf'id="measure-{measure.pk}-description"[^>]*maxlength="{LONG_TEXT}"', page)
    assert re.search(rf'id="measure-{measure.pk}-name"[^>]*maxlength="300"', page)
    assert "Maks 10 000 tegn." in page
    assert "Maks 300 tegn." in page
    partnership = body(owner.get(reverse("needs:edit_section", args=[cast.report.pk, "partnership"])))
    assert re.search(r'name="contact-name"[^>]*maxlength="200"', partnership)
    assert "Maks 200 tegn." in partnership


def test_unsaved_report_pending_values_never_hold_a_nul(owner, cast, measure):
    autosave(owner, cast.report, f"measure:{measure.pk}:partner_amount", "\x00", base="0")
    assert "\x00" not in str(NeedsReport.objects.get(pk=cast.report.pk).pending)
