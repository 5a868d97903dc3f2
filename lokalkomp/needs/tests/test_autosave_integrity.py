"""An autosave stores only what the report may hold (issue 9): never into a submitted report, never a use
of funds the measure's scheme does not allow."""

import pytest
from django.urls import reverse

from lokalkomp.needs.access import for_autosave
from lokalkomp.needs.autosave import ReportLocked, save_field
from lokalkomp.needs.models import FieldEdit, Measure, NeedsReport
from lokalkomp.schemes.models import Use
from lokalkomp.testing import make_measure, make_report, make_round


def autosave(client, report, key, value, base):
    data = {"key": key, key: value, f"base:{key}": base}
    return client.post(reverse("needs:save", args=[report.pk]), data, headers={"HX-Request": "true"})


def test_a_save_that_waited_for_the_submission_stores_nothing_in_the_submitted_report(cast):
    measure = make_measure(cast.report, 1_000, 500, name="Lesing")
    as_the_view_saw_it = for_autosave(cast.owner_contact).get(pk=cast.report.pk)  # a draft, checked editable
    NeedsReport.objects.filter(pk=cast.report.pk).update(status=NeedsReport.Status.SUBMITTED)  # submitted meanwhile
    edits = FieldEdit.objects.count()
    for key, value, base in [
        (f"measure:{measure.pk}:owner_amount", "2 000", "1 000"),  # the usual save
        (f"measure:{measure.pk}:semesters", "", ""),  # a list field: the save on the stored value
    ]:
        with pytest.raises(ReportLocked):
            save_field(as_the_view_saw_it, key, value, base, by=cast.owner_contact)
    measure.refresh_from_db()
    assert (measure.owner_amount, FieldEdit.objects.count()) == (1_000, edits)
    assert NeedsReport.objects.get(pk=cast.report.pk).version == as_the_view_saw_it.version


def test_a_use_of_funds_the_measures_scheme_does_not_allow_is_refused_with_a_message_in_bokmal(client, cast):
    measure = make_measure(cast.report, 1_000, 500, name="Lesing")
    scheme = measure.scheme
    refused = next(use for use in Use.values if not scheme.allows_use(use))
    allowed = next(use for use in Use.values if scheme.allows_use(use))
    client.force_login(cast.owner_contact)
    response = autosave(client, cast.report, f"measure:{measure.pk}:purpose", refused, "")
    assert response.status_code == 422
    assert f"{scheme.short_name} tillater ikke denne bruken av midlene" in response.content.decode()
    assert "Lagret" not in response.content.decode()
    assert Measure.objects.get(pk=measure.pk).purpose == ""
    assert autosave(client, cast.report, f"measure:{measure.pk}:purpose", allowed, "").status_code == 200
    assert Measure.objects.get(pk=measure.pk).purpose == allowed


def test_moving_a_measure_to_a_scheme_that_does_not_allow_its_use_of_funds_is_refused(client, cast):
    report = make_report(make_round(cast.office, year=2024), cast.report.partnership)  # 2024 has three schemes
    schemes = [rs.scheme for rs in report.report_schemes.select_related("scheme").order_by("pk")]
    pairs = [(a, b, u) for a in schemes for b in schemes for u in Use.values if a.allows_use(u) and not b.allows_use(u)]
    assert pairs, "the 2024 schemes differ in the uses they allow"
    first, second, use = pairs[0]
    measure = make_measure(report, 1_000, 500, name="Lesing", scheme=first, purpose=use)
    client.force_login(cast.owner_contact)
    response = autosave(client, report, f"measure:{measure.pk}:scheme", str(second.pk), str(first.pk))
    assert response.status_code == 422
    assert f"{second.short_name} tillater ikke tiltakets bruk av midlene" in response.content.decode()
    assert Measure.objects.get(pk=measure.pk).scheme_id == first.pk
