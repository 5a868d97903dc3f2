"""Adding, copying, ordering and removing measures, and choosing the schemes a report covers."""

import pytest
from django.urls import reverse

from lokalkomp.needs.models import Continuation, FieldEdit, Measure, NeedsReport, NeedsReportScheme
from lokalkomp.schemes.models import Scheme
from lokalkomp.testing import make_measure, make_report, make_round


def positions(report):
    return list(Measure.objects.filter(report=report).order_by("position").values_list("name", "position"))


@pytest.fixture
def owner(client, cast):
    client.force_login(cast.owner_contact)
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def three(cast):
    return [make_measure(cast.report, name=name) for name in ("A", "B", "C")]


def test_a_contact_adds_a_measure_at_the_end(owner, cast, three):
    response = owner.post(reverse("needs:add_measure", args=[cast.report.pk]), {"new:name": "D"})
    new = Measure.objects.get(report=cast.report, position=4)
    assert response.status_code == 302
    assert response.url == reverse("needs:measure", args=[cast.report.pk, new.pk]) + f"#measure-{new.pk}-purpose"
    assert new.scheme.code == "kollektiv-2026"
    assert (new.name, new.owner_amount, new.partner_amount) == ("D", 0, 0)
    periods = Continuation.objects.filter(measure=new).values_list("period", flat=True)
    assert sorted(periods) == ["2028-autumn", "2029", "2030"]
    assert FieldEdit.objects.filter(report=cast.report, key=f"measure:{new.pk}:added", by=cast.owner_contact).exists()


def test_a_measure_cannot_be_added_before_a_scheme_is_chosen(owner, cast):
    cast.report.report_schemes.all().delete()
    response = owner.post(reverse("needs:add_measure", args=[cast.report.pk]), {"new:name": "D"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("needs:edit_section", args=[cast.report.pk, "partnership"])
    assert "Choose the scheme(s) the report covers first." in response.content.decode()
    assert not Measure.objects.filter(report=cast.report).exists()


@pytest.fixture
def earlier(cast):
    """The partnership's report of 2025, in Desentralisert ordning."""
    report = make_report(make_round(cast.office, year=2025, schemes=("dekomp",)), cast.report.partnership)
    return make_measure(
        report,
        80_000,
        40_000,
        name="Lesing over tid",
        purpose="implementation",
        anchoring="Forankret.",
        target_group="Lærere",
        semesters=["2025-autumn"],
    )


def test_a_measure_is_carried_over_from_an_earlier_years_report(owner, cast, three, earlier):
    response = owner.post(reverse("needs:copy_measure", args=[cast.report.pk]), {"source": earlier.pk})
    copy = Measure.objects.get(report=cast.report, continued_from=earlier)
    assert response.url == reverse("needs:measure", args=[cast.report.pk, copy.pk])
    assert (copy.name, copy.owner_amount, copy.partner_amount, copy.purpose) == (
        "Lesing over tid",
        80_000,
        40_000,
        "implementation",
    )
    assert (copy.anchoring, copy.target_group) == ("Forankret.", "Lærere")
    assert copy.position == 4
    assert copy.scheme == Scheme.objects.get(code="kollektiv-2026")  # 2025's scheme no longer runs in 2027
    assert copy.semesters == []  # the semesters belong to the earlier year
    assert Continuation.objects.filter(measure=copy).count() == 3
    assert FieldEdit.objects.filter(key=f"measure:{copy.pk}:copied", value=str(earlier.pk)).exists()
    assert Measure.objects.get(pk=earlier.pk).report.round.year == 2025  # the source is untouched


def test_a_carried_over_measure_keeps_its_scheme_when_the_report_covers_it(owner, cast):
    later = make_report(make_round(cast.office, year=2025, schemes=("dekomp", "rekomp")), cast.report.partnership)
    source = make_measure(
        make_report(make_round(cast.office, year=2024, schemes=("rekomp",)), cast.report.partnership),
        1_000,
        0,
        scheme=Scheme.objects.get(code="rekomp"),
    )
    owner.post(reverse("needs:copy_measure", args=[later.pk]), {"source": source.pk})
    assert Measure.objects.get(report=later).scheme.code == "rekomp"


def test_a_measure_cannot_be_carried_over_before_a_scheme_is_chosen(owner, cast, earlier):
    cast.report.report_schemes.all().delete()
    response = owner.post(reverse("needs:copy_measure", args=[cast.report.pk]), {"source": earlier.pk}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("needs:edit_section", args=[cast.report.pk, "partnership"])
    assert "Choose the scheme(s) the report covers first." in response.content.decode()
    assert not Measure.objects.filter(report=cast.report).exists()


def test_the_measures_page_offers_the_earlier_years_measures_to_carry_over(owner, cast, earlier):
    page = owner.get(reverse("needs:edit_section", args=[cast.report.pk, "measures"])).content.decode()
    assert "2025: Lesing over tid" in page


@pytest.mark.parametrize("whose", ["another partnership", "the same year"])
def test_only_the_partnerships_earlier_measures_can_be_carried_over(owner, cast, whose):
    if whose == "another partnership":
        source = make_measure(make_report(make_round(cast.office, year=2025, schemes=("dekomp",))), 1, 1)
    else:
        source = make_measure(make_report(cast.round), 1, 1)
    response = owner.post(reverse("needs:copy_measure", args=[cast.report.pk]), {"source": source.pk})
    assert response.url == reverse("needs:edit_section", args=[cast.report.pk, "measures"])
    assert not Measure.objects.filter(report=cast.report).exists()


def test_a_measure_moves_up(owner, cast, three):
    response = owner.post(reverse("needs:move_measure", args=[cast.report.pk, three[2].pk, "up"]))
    # back to the same button on the moved row, so that pressing it again moves it further
    assert response.url == reverse("needs:edit_section", args=[cast.report.pk, "measures"]) + f"#move-{three[2].pk}-up"
    assert positions(cast.report) == [("A", 1), ("C", 2), ("B", 3)]


def test_a_measure_moves_down(owner, cast, three):
    owner.post(reverse("needs:move_measure", args=[cast.report.pk, three[0].pk, "down"]))
    assert positions(cast.report) == [("B", 1), ("A", 2), ("C", 3)]


def test_the_first_cannot_move_up_nor_the_last_down(owner, cast, three):
    owner.post(reverse("needs:move_measure", args=[cast.report.pk, three[0].pk, "up"]))
    owner.post(reverse("needs:move_measure", args=[cast.report.pk, three[2].pk, "down"]))
    assert positions(cast.report) == [("A", 1), ("B", 2), ("C", 3)]


def test_moving_closes_gaps_in_the_numbering(owner, cast, three):
    Measure.objects.filter(pk=three[2].pk).update(position=9)
    owner.post(reverse("needs:move_measure", args=[cast.report.pk, three[1].pk, "down"]))
    assert positions(cast.report) == [("A", 1), ("C", 2), ("B", 3)]


def test_an_unknown_direction_is_not_found(owner, cast, three):
    response = owner.post(reverse("needs:move_measure", args=[cast.report.pk, three[0].pk, "sideways"]))
    assert response.status_code == 404
    assert positions(cast.report) == [("A", 1), ("B", 2), ("C", 3)]


def test_removing_a_measure_renumbers_the_rest(owner, cast, three):
    response = owner.post(reverse("needs:delete_measure", args=[cast.report.pk, three[1].pk]))
    assert response.url == reverse("needs:edit_section", args=[cast.report.pk, "measures"]) + "#measure-list"
    assert positions(cast.report) == [("A", 1), ("C", 2)]
    removed = FieldEdit.objects.get(key=f"measure:{three[1].pk}:removed")
    assert (removed.old_value, removed.value, removed.by) == ("B (0 + 0)", "", cast.owner_contact)


def test_removing_a_measure_keeps_its_continuation_in_a_later_report(owner, cast, earlier):
    copy = make_measure(cast.report, name="Videreført", continued_from=earlier)
    owner.post(reverse("needs:delete_measure", args=[earlier.report.pk, earlier.pk]))
    assert not Measure.objects.filter(pk=earlier.pk).exists()
    assert Measure.objects.get(pk=copy.pk).continued_from is None


@pytest.mark.parametrize("action", ["delete_measure", "move_measure", "save_measure"])
def test_a_measure_of_another_report_cannot_be_reached_through_ones_own(owner, cast, action):
    foreign = make_measure(make_report(cast.round), name="Fremmed")
    args = [cast.report.pk, foreign.pk] + (["up"] if action == "move_measure" else [])
    response = owner.post(reverse(f"needs:{action}", args=args), {f"measure:{foreign.pk}:name": "Kapret"})
    assert response.status_code == 404
    assert Measure.objects.get(pk=foreign.pk).name == "Fremmed"


@pytest.fixture
def report_2024(cast):
    """The partnership's 2024 report, covering two of the three schemes of that round."""
    round = make_round(cast.office, year=2024)
    report = NeedsReport.objects.create(partnership=cast.report.partnership, round=round)
    for code in ("dekomp", "rekomp"):
        report.report_schemes.create(scheme=Scheme.objects.get(code=code))
    make_measure(report, 1_000, 0, scheme=Scheme.objects.get(code="rekomp"), name="Barnehage")
    return report


def chosen(report):
    return set(NeedsReportScheme.objects.filter(report=report).values_list("scheme__code", flat=True))


def schemes(*codes):
    return [Scheme.objects.get(code=code).pk for code in codes]


def test_a_scheme_is_added_to_the_report(owner, report_2024):
    response = owner.post(
        reverse("needs:set_schemes", args=[report_2024.pk]),
        {"schemes": schemes("dekomp", "rekomp", "kompetanseloftet")},
    )
    assert response.url == reverse("needs:edit_section", args=[report_2024.pk, "partnership"])
    assert chosen(report_2024) == {"dekomp", "rekomp", "kompetanseloftet"}


def test_a_scheme_without_measures_is_removed(owner, report_2024):
    owner.post(reverse("needs:set_schemes", args=[report_2024.pk]), {"schemes": schemes("rekomp")})
    assert chosen(report_2024) == {"rekomp"}
    assert FieldEdit.objects.filter(report=report_2024, key="report:schemes").exists()


def test_a_scheme_with_measures_cannot_be_removed(owner, report_2024):
    response = owner.post(
        reverse("needs:set_schemes", args=[report_2024.pk]), {"schemes": schemes("dekomp")}, follow=True
    )
    assert chosen(report_2024) == {"dekomp", "rekomp"}
    assert "A scheme with measures cannot be removed" in response.content.decode()
    assert not FieldEdit.objects.filter(report=report_2024, key="report:schemes").exists()


def test_at_least_one_scheme_must_be_chosen(owner, report_2024):
    Measure.objects.filter(report=report_2024).delete()
    response = owner.post(reverse("needs:set_schemes", args=[report_2024.pk]), {"schemes": []}, follow=True)
    assert chosen(report_2024) == {"dekomp", "rekomp"}
    assert "Choose at least one scheme." in response.content.decode()


def test_a_scheme_outside_the_round_is_ignored(owner, report_2024):
    owner.post(
        reverse("needs:set_schemes", args=[report_2024.pk]), {"schemes": schemes("dekomp", "rekomp", "kollektiv-2026")}
    )
    assert chosen(report_2024) == {"dekomp", "rekomp"}


def test_removing_a_scheme_keeps_the_co_financing_of_the_others(owner, report_2024):
    NeedsReportScheme.objects.filter(report=report_2024, scheme__code="rekomp").update(co_financing_amount=5)
    owner.post(reverse("needs:set_schemes", args=[report_2024.pk]), {"schemes": schemes("rekomp")})
    assert NeedsReportScheme.objects.get(report=report_2024).co_financing_amount == 5


def test_a_measure_is_moved_to_another_of_the_reports_schemes(owner, report_2024):
    measure = Measure.objects.get(report=report_2024)
    key = f"measure:{measure.pk}:scheme"
    dekomp, rekomp = schemes("dekomp", "rekomp")
    response = owner.post(
        reverse("needs:save", args=[report_2024.pk]),
        {"key": key, key: str(dekomp), f"base:{key}": str(rekomp)},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert Measure.objects.get(pk=measure.pk).scheme_id == dekomp


def test_a_measure_cannot_be_moved_to_a_scheme_the_report_does_not_cover(owner, report_2024):
    measure = Measure.objects.get(report=report_2024)
    key = f"measure:{measure.pk}:scheme"
    (kompetanseloftet,) = schemes("kompetanseloftet")
    response = owner.post(
        reverse("needs:save", args=[report_2024.pk]),
        {"key": key, key: str(kompetanseloftet), f"base:{key}": ""},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert Measure.objects.get(pk=measure.pk).scheme.code == "rekomp"
