"""No input gives a 500: what a person (or a script) may send the assessment form is refused with a message."""

from __future__ import annotations

import pytest

from lokalkomp.allocation import criteria as round_criteria
from lokalkomp.allocation.models import Assessment

from .assess_helpers import form_data, submitted_measure, url

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def measure(cast):
    return submitted_measure(cast.round, network=cast.network)


@pytest.fixture
def criteria(cast, measure):
    return round_criteria.for_scheme(measure.scheme, cast.round)


def bad_inputs(criteria):
    first = criteria[0].pk
    return {
        "a NUL byte in the comment": {"comment": "Bra\x00"},
        "a NUL byte in a criterion's comment": {f"comment-{first}": "\x00"},
        "an over-long comment": {"comment": "x" * 4001},
        "an over-long criterion comment": {f"comment-{first}": "y" * 4001},
        "an unknown score": {f"score-{first}": "brilliant"},
        "an unknown recommendation": {"recommendation": "maybe"},
        "a superscript version": {"version": "²"},
        "a version beyond the column": {"version": str(2**40)},
        "a negative version": {"version": "-1"},
        "no version at all": {"version": ""},
    }


@pytest.mark.parametrize("htmx", [False, True])
def test_each_bad_input_is_refused_with_a_message_and_nothing_is_saved(client, cast, measure, criteria, htmx):
    client.force_login(cast.forum_member)
    for what, change in bad_inputs(criteria).items():
        response = client.post(
            url("assess_save", cast.round, measure.pk), form_data(criteria, **change), **(HTMX if htmx else {})
        )
        assert response.status_code == 422, what
        assert "ds-validation-message" in response.content.decode(), what
        assert not Assessment.objects.filter(measure=measure).exists(), what


def test_what_was_typed_stays_in_the_form_when_it_is_refused(client, cast, measure, criteria):
    client.force_login(cast.forum_member)
    data = form_data(criteria, comment="Min lange tekst", recommendation="maybe")
    response = client.post(url("assess_save", cast.round, measure.pk), data)
    assert response.status_code == 422 and "Min lange tekst" in response.content.decode()


def test_scores_of_criteria_the_measure_does_not_have_are_ignored(client, cast, measure, criteria):
    client.force_login(cast.forum_member)
    data = form_data(criteria, **{"score-999999": "met", "score-abc": "x", "score-²": "met"})
    assert client.post(url("assess_save", cast.round, measure.pk), data).status_code == 302
    assert Assessment.objects.get(measure=measure).scores.count() == len(criteria)


@pytest.mark.parametrize(
    "path", ["tiltak/abc/", "tiltak/²/", "tiltak/-1/", "tiltak/0/", "tiltak/99999999999999999999999/"]
)
def test_a_measure_id_that_is_no_ones_is_not_found(client, cast, measure, path):
    client.force_login(cast.forum_member)
    assert client.get(f"/runder/{cast.office.slug}/{cast.round.year}/vurdering/{path}").status_code == 404


def test_a_year_or_office_that_does_not_exist_is_not_found(client, cast, measure):
    client.force_login(cast.forum_member)
    for path in (
        f"/runder/{cast.office.slug}/99999999999/vurdering/",
        "/runder/%00/2027/vurdering/",
        f"/runder/{cast.office.slug}/0/habilitet/",
    ):
        assert client.get(path).status_code == 404, path
