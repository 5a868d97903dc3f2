"""The profanity filter: whole folded words of the app's list hold a response for the presenter."""

from __future__ import annotations

import pytest
from django.utils.translation import gettext as _

from lokalkomp.gatherings.models import Activity, Response
from lokalkomp.gatherings.profanity import fold, folded_words, is_profane

from .helpers import answer, make_activity, make_gathering, phone_client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("text", ["Faen!", "FAAAEN", "f4en", "h3lvete", "det var jævla kjedelig", "$hit", "Drittsekk."])
def test_it_finds_swear_words_however_they_are_typed(text):
    assert is_profane(text)


@pytest.mark.parametrize(
    "text", ["Helgeland", "skuffet", "en pult", "Fjellfaen", "kode", "Magisk", "revolusjon", "", "samarbeid 2024"]
)
def test_it_leaves_ordinary_words_alone(text):
    assert not is_profane(text)


def test_the_word_list_has_its_source_and_folds_to_itself():
    from lokalkomp.gatherings.profanity import WORDS_FILE

    head = WORDS_FILE.read_text(encoding="utf-8")
    assert "Source:" in head and "Licence:" in head
    assert fold("Jævla") == "jaevla" and "jaevla" in folded_words() and len(folded_words()) > 40


def test_a_filtered_response_waits_for_the_presenter(client, cast):
    gathering = make_gathering(cast.round)
    activity = make_activity(gathering, profanity_filter=True)
    phone = phone_client(gathering, table=2)
    held = answer(phone, activity, text="Faen")
    assert held.status_code == 200
    assert _("Thank you! Your answer is shown when the presenter has approved it.") in held.content.decode()
    response = Response.objects.get()
    assert (response.approved, response.flagged) == (False, True)
    answer(phone_client(gathering), activity, text="Spent")
    assert list(Response.objects.shown().values_list("text", flat=True)) == ["Spent"]
    client.force_login(cast.governor)
    live = client.get(f"/samlinger/{gathering.pk}/presenter/").content.decode()
    assert "Faen" not in live and "Spent" in live
    moderation = client.get(f"/samlinger/{gathering.pk}/aktiviteter/{activity.pk}/moderer/").content.decode()
    assert "Faen" in moderation and 'id="filter-note"' in moderation


def test_without_the_filter_the_word_is_shown(cast):
    gathering = make_gathering(cast.round)
    activity = make_activity(gathering, Activity.Kind.STATEMENTS, question="Tre utsagn")
    answer(phone_client(gathering, table=1), activity, text="Faen så bra")
    assert Response.objects.get().approved


def test_the_organiser_switches_the_filter_on(client, cast):
    gathering = make_gathering(cast.round)
    client.force_login(cast.governor)
    client.post(
        f"/samlinger/{gathering.pk}/aktiviteter/ny/",
        {"kind": "one_word", "question": "Ett ord", "profanity_filter": "on"},
    )
    assert Activity.objects.get().profanity_filter
