"""A milestone's details are at most 2 000 characters on every path: the cycle editor (its form), and the
Round admin's milestone inline, which reads the limit from the model (issue 8: every text field has one)."""

from __future__ import annotations

import html

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from lokalkomp.accounts.models import AuditEvent
from lokalkomp.schemes.forms import DETAILS_MAX_LENGTH
from lokalkomp.schemes.models import Milestone
from lokalkomp.testing import admin_form_data, make_user, sign_in_with_two_factor

MAX = 2000


@pytest.fixture
def admin(db) -> Client:
    client = Client()
    sign_in_with_two_factor(client, make_user(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def milestone(cast) -> Milestone:
    return Milestone.objects.create(round=cast.round, title="Samling", starts_on="2026-10-20", details="Program")


def post_inline(admin: Client, milestone: Milestone, details: str):
    url = reverse("admin:schemes_round_change", args=[milestone.round_id])
    data = admin_form_data(admin.get(url))
    ids = (k for k, v in data.items() if k.startswith("milestones-") and k.endswith("-id") and v == str(milestone.pk))
    prefix = next(ids)[: -len("-id")]
    return admin.post(url, {**data, f"{prefix}-details": details})


def test_the_round_admin_refuses_milestone_details_over_2000_characters_with_a_message(admin, milestone):
    response = post_inline(admin, milestone, "Program og påmelding. " * 10_000)

    assert response.status_code == 200  # the page again, not saved
    page = html.unescape(response.content.decode()).replace("\u00a0", " ")
    assert f"maks {MAX} tegn" in page or f"{MAX} eller færre tegn" in page  # Django's own message, in bokmål
    assert Milestone.objects.get(pk=milestone.pk).details == "Program"
    assert not AuditEvent.objects.filter(key=f"milestone:{milestone.pk}:details").exists()


def test_the_round_admin_saves_milestone_details_of_2000_characters_whole(admin, milestone):
    response = post_inline(admin, milestone, "x" * MAX)

    assert response.status_code == 302
    assert Milestone.objects.get(pk=milestone.pk).details == "x" * MAX
    assert AuditEvent.objects.get(key=f"milestone:{milestone.pk}:details").source == "admin"


def test_the_model_holds_the_limit_the_cycle_editor_states(milestone):
    assert Milestone._meta.get_field("details").max_length == MAX == DETAILS_MAX_LENGTH
    milestone.details = "x" * (MAX + 1)
    with pytest.raises(ValidationError) as refused:
        milestone.full_clean()
    assert "details" in refused.value.message_dict
