"""Two people editing the same field: the compare-and-set with `base` refuses a stale save."""

import pytest
from django.test import Client
from django.urls import reverse

from lokalkomp.needs.models import FieldEdit, Measure, NeedsReport
from lokalkomp.testing import make_measure


def autosave(client, report, key, value, base):
    return client.post(
        reverse("needs:save", args=[report.pk]),
        {"key": key, key: value, f"base:{key}": base},
        headers={"HX-Request": "true"},
    )


def body(response):
    return response.content.decode().replace("\u00a0", " ")


def signed_in(user, language="en"):
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


@pytest.fixture
def measure(cast):
    return make_measure(cast.report, name="")


@pytest.fixture
def both(cast, measure):
    """Both contacts have the measure open: each page carries the empty name as its base."""
    a, b = signed_in(cast.owner_contact), signed_in(cast.partner_contact)
    for client in (a, b):
        page = body(client.get(reverse("needs:measure", args=[cast.report.pk, measure.pk])))
        assert f'name="base:measure:{measure.pk}:name" value=""' in page
    return a, b


def test_a_save_based_on_a_stale_value_is_refused_as_a_conflict(cast, measure, both):
    a, b = both
    key = f"measure:{measure.pk}:name"
    assert autosave(a, cast.report, key, "X", base="").status_code == 200

    response = autosave(b, cast.report, key, "Y", base="")
    assert response.status_code == 409
    assert Measure.objects.get(pk=measure.pk).name == "X"
    assert FieldEdit.objects.filter(key=key).count() == 1


def test_the_conflict_shows_the_other_persons_value_and_who_saved_it(cast, measure, both):
    a, b = both
    key = f"measure:{measure.pk}:name"
    autosave(a, cast.report, key, "X", base="")
    html = body(autosave(b, cast.report, key, "Y", base=""))
    assert f'<blockquote class="lk-theirs" id="theirs-measure-{measure.pk}-name">X</blockquote>' in html
    assert f"{cast.owner_contact} saved this at" in html
    assert "Keep mine" in html and "Use theirs" in html


def test_keep_mine_saves_over_the_other_persons_value(cast, measure, both):
    a, b = both
    key = f"measure:{measure.pk}:name"
    autosave(a, cast.report, key, "X", base="")
    autosave(b, cast.report, key, "Y", base="")

    response = autosave(b, cast.report, key, "Y", base="X")  # «Keep mine» sends their value as the base
    assert response.status_code == 200
    assert Measure.objects.get(pk=measure.pk).name == "Y"
    edits = list(FieldEdit.objects.filter(key=key).values_list("value", "by"))
    assert edits == [("X", cast.owner_contact.pk), ("Y", cast.partner_contact.pk)]


def test_the_same_value_saved_by_both_is_no_conflict(cast, measure, both):
    a, b = both
    key = f"measure:{measure.pk}:name"
    autosave(a, cast.report, key, "X", base="")
    assert autosave(b, cast.report, key, "X", base="").status_code == 200
    assert FieldEdit.objects.filter(key=key).count() == 1


def test_an_amount_base_is_compared_as_an_amount(cast, measure, both):
    a, b = both
    key = f"measure:{measure.pk}:owner_amount"
    autosave(a, cast.report, key, "120 000", base="0")
    assert autosave(b, cast.report, key, "130 000", base="kr 120 000,-").status_code == 200
    assert Measure.objects.get(pk=measure.pk).owner_amount == 130_000


def test_the_conflict_message_is_in_bokmal_by_default(cast, measure, both):
    a, _b = both
    key = f"measure:{measure.pk}:name"
    autosave(a, cast.report, key, "X", base="")
    response = autosave(signed_in(cast.partner_contact, "nb"), cast.report, key, "Y", base="")
    assert response.status_code == 409
    html = body(response)
    assert "Someone else changed this field" not in html, "the conflict message is not translated to bokmål"
    assert "saved this at" not in html


def test_the_measure_form_without_javascript_refuses_a_stale_field_saves_nothing_and_keeps_what_was_typed(
    cast, measure, both
):
    a, b = both
    key = f"measure:{measure.pk}:name"
    autosave(a, cast.report, key, "X", base="")

    response = b.post(
        reverse("needs:save_measure", args=[cast.report.pk, measure.pk]),
        {
            key: "Y",
            f"base:{key}": "",
            f"measure:{measure.pk}:description": "Ny tekst",
            f"base:measure:{measure.pk}:description": "",
        },
    )
    assert response.status_code == 422
    measure.refresh_from_db()
    assert (measure.name, measure.description) == ("X", "")  # one save is all or nothing
    html = body(response)
    assert ">\nNy tekst</textarea>" in html, "the typed text of the field that was held back is lost"
    assert f'name="{key}" value="Y"' in html, "the typed value is lost on the re-rendered form"
    assert "Someone else changed this field" in html
    assert f'id="theirs-measure-{measure.pk}-name">X<' in html


def test_the_measure_form_shows_the_saved_values_after_a_save(cast, measure, both):
    _a, b = both
    key = f"measure:{measure.pk}:name"
    response = b.post(
        reverse("needs:save_measure", args=[cast.report.pk, measure.pk]), {key: "Y", f"base:{key}": ""}, follow=True
    )
    assert response.redirect_chain[0][1] == 302  # redirect after POST: a reload does not post again
    assert Measure.objects.get(pk=measure.pk).name == "Y"
    html = body(response)
    # The page must carry the new value as the field's value and its base, or the next save is a conflict.
    assert f'name="{key}" value="Y"' in html
    assert f'name="base:{key}" value="Y"' in html


def test_a_section_form_refuses_a_stale_field_and_keeps_what_was_typed(cast):
    a, b = signed_in(cast.owner_contact), signed_in(cast.partner_contact)
    key = f"report:{cast.report.pk}:public_schools"
    assert autosave(a, cast.report, key, "5", base="").status_code == 200

    response = b.post(reverse("needs:save_section", args=[cast.report.pk, "units"]), {key: "7", f"base:{key}": ""})
    assert response.status_code == 422
    assert NeedsReport.objects.get(pk=cast.report.pk).public_schools == 5
    html = body(response)
    assert f'name="{key}" value="7"' in html, "the typed value is lost on the re-rendered form"
    assert "Someone else changed this field" in html


def test_a_section_form_keeps_an_invalid_value_with_its_message(cast):
    b = signed_in(cast.partner_contact)
    key = f"report:{cast.report.pk}:public_schools"
    response = b.post(reverse("needs:save_section", args=[cast.report.pk, "units"]), {key: "mange", f"base:{key}": ""})
    assert response.status_code == 422
    assert NeedsReport.objects.get(pk=cast.report.pk).public_schools is None
    html = body(response)
    assert f'name="{key}" value="mange"' in html
    assert "Write a count as a whole number from 0 to 10 000." in html


def test_a_section_form_saves_fresh_fields(cast):
    b = signed_in(cast.partner_contact)
    key = f"report:{cast.report.pk}:public_schools"
    response = b.post(
        reverse("needs:save_section", args=[cast.report.pk, "units"]), {key: "7", f"base:{key}": ""}, follow=True
    )
    assert response.redirect_chain[0][1] == 302
    assert NeedsReport.objects.get(pk=cast.report.pk).public_schools == 7
    assert f'name="{key}" value="7"' in body(response)


def test_a_section_form_naming_another_reports_row_is_not_found(cast):
    from lokalkomp.testing import make_report

    foreign = make_measure(make_report(cast.round), name="Fremmed")
    b = signed_in(cast.partner_contact)
    key = f"measure:{foreign.pk}:name"
    response = b.post(
        reverse("needs:save_section", args=[cast.report.pk, "units"]), {key: "Kapret", f"base:{key}": "Fremmed"}
    )
    assert response.status_code == 404
    assert Measure.objects.get(pk=foreign.pk).name == "Fremmed"
