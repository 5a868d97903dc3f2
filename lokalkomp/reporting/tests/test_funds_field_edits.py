"""Every change to an answer of a report on the use of funds leaves a record (who, when, old → new), and the
form's conflict answer names who saved the other value, as the needs form does."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from lokalkomp.reporting.access.funds import get_funds_report_for
from lokalkomp.reporting.funds_autosave import save_field
from lokalkomp.reporting.funds_testing import decided
from lokalkomp.reporting.models import FundsFieldEdit, FundsReport

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def autosave(client, report, key, value, *, base, version="1"):
    data = {"key": key, key: value, "version": version}
    if base is not None:
        data[f"base:{key}"] = base
    return client.post(reverse("reporting:funds_save", args=[report.pk]), data, headers={"HX-Request": "true"})


@pytest.fixture
def case():
    return decided(amounts=((1_500_000, 500_000),))


def test_a_save_through_the_form_records_who_changed_which_field_from_what_to_what(case):
    line = case.report.lines.get()
    key = f"line:{line.pk}:used_owner"
    owner = signed_in(case.owner)
    assert autosave(owner, case.report, key, "1 200 000", base="0").status_code == 200
    assert autosave(owner, case.report, f"line:{line.pk}:anchoring", "Forankret i planen", base="").status_code == 200

    edits = list(FundsFieldEdit.objects.order_by("pk").values_list("line", "field", "old_value", "value", "by"))
    assert edits == [
        (line.pk, "used_owner", "0", "1200000", case.owner.pk),
        (line.pk, "anchoring", "", "Forankret i planen", case.owner.pk),
    ]
    # the same value again changes nothing, and records nothing: from a page without bases, and from a script
    assert autosave(owner, case.report, key, "1200000", base=None, version="3").status_code == 200
    case.report.answer(line, by=case.owner, used_owner=1_200_000)
    assert FundsFieldEdit.objects.count() == 2
    assert FundsReport.objects.get(pk=case.report.pk).version == 5  # both went through the compare-and-set


def test_the_old_value_is_the_one_stored_when_the_save_is_written_not_the_one_the_request_loaded(case):
    """A page that sends a version ahead of the one loaded (another's save landed in between) still records
    what it replaced."""
    line = case.report.lines.get()
    key = f"line:{line.pk}:used_owner"
    loaded = get_funds_report_for(case.owner, case.report.pk, lines=True)  # used_owner 0, version 1
    other = get_funds_report_for(case.partner, case.report.pk, lines=True)
    assert save_field(other, key=key, raw="5 000", version="1", base="0", by=case.partner).status == 200
    assert save_field(loaded, key=key, raw="7 000", version="2", by=case.owner).status == 200
    edits = list(FundsFieldEdit.objects.order_by("pk").values_list("old_value", "value", "by"))
    assert edits == [("0", "5000", case.partner.pk), ("5000", "7000", case.owner.pk)]


def test_a_change_record_cannot_be_changed_or_deleted(case):
    line = case.report.lines.get()
    case.report.answer(line, by=case.owner, used_uh=400_000)
    edit = FundsFieldEdit.objects.get()
    assert (edit.field, edit.old_value, edit.value, edit.by) == ("used_uh", "0", "400000", case.owner)
    edit.value = "1"
    with pytest.raises(TypeError):
        edit.save()
    with pytest.raises(TypeError):
        edit.delete()
    with pytest.raises(TypeError):
        FundsFieldEdit.objects.filter(pk=edit.pk).update(value="1")
    with pytest.raises(TypeError):
        FundsFieldEdit.objects.all().delete()


def test_the_conflict_names_who_saved_the_other_value_and_when(case):
    line = case.report.lines.get()
    key = f"line:{line.pk}:used_owner"
    owner, partner = signed_in(case.owner), signed_in(case.partner)
    assert autosave(partner, case.report, key, "900 000", base="0").status_code == 200

    conflict = autosave(owner, case.report, key, "1 000 000", base="0")
    assert conflict.status_code == 409
    page = conflict.content.decode()
    assert f"{case.partner} lagret dette " in page
    assert "900 000" in page and "1 000 000" in page  # both values, to choose between
    assert FundsFieldEdit.objects.count() == 1  # the refused save records nothing


def test_a_conflict_on_a_field_nobody_has_changed_here_says_what_is_saved_without_a_name(case):
    """A value written outside the form's saves (before this record existed) has no one to name."""
    line = case.report.lines.get()
    type(line).objects.filter(pk=line.pk).update(used_owner=700_000)
    conflict = autosave(signed_in(case.owner), case.report, f"line:{line.pk}:used_owner", "1 000 000", base="0")
    assert conflict.status_code == 409
    page = conflict.content.decode()
    assert "Den lagrede verdien er nå:" in page and "lagret dette" not in page
