"""The two-factor check reads its answer with the user (issue 9, no query of its own: see
needs/tests/test_autosave_speed.py), and is never stale."""

from django.urls import reverse

from lokalkomp.accounts.models import Membership, Role
from lokalkomp.testing import make_office, make_user


def test_a_statsforvalter_role_granted_mid_session_sends_the_next_request_to_the_two_factor_setup(client, db):
    person = make_user("newly-granted@example.test")
    client.force_login(person)
    assert client.get(reverse("needs:mine")).status_code == 200
    Membership.objects.create(user=person, role=Role.CASE_OFFICER, office=make_office())
    response = client.get(reverse("needs:mine"))
    assert response.status_code == 302 and response.url == reverse("mfa_activate_totp")
