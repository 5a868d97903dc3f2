"""A report on the use of funds' versions page: the list of submissions, what changed between two of them (or the
latest and the draft while the report is back with the partnership), who may see it, bad input and queries."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from lokalkomp.accounts.models import Membership, Role
from lokalkomp.reporting.funds_compare import compare
from lokalkomp.reporting.funds_testing import decided, fill_in
from lokalkomp.templatetags.nor import format_kroner
from lokalkomp.testing import add_contact, give_totp, make_office, make_report, make_user

pytestmark = pytest.mark.django_db


def governor_of(office):
    user = make_user()
    Membership.objects.create(user=user, role=Role.CASE_OFFICER, office=office)
    give_totp(user)
    return user


def versions_url(report):
    return reverse("reporting:funds_versions", args=[report.pk])


def row(page, field):
    """The comparison's row of one field (the case has one measure)."""
    found = re.search(rf'<tr data-field="{field}"[^>]*>.*?</tr>', page, re.S)
    assert found, field
    return found.group(0)


@pytest.fixture
def case():
    """Submitted with 60 000 used by the owner, returned by the Statsforvalter, 80 000 used, submitted again."""
    case = decided(amounts=((100_000, 50_000),))
    line = case.report.lines.get()
    fill_in(line, used_owner=60_000, unused_proposal="return")
    case.report.submit(by=case.owner)
    case.governor = governor_of(case.round.office)
    case.report.return_for_more(by=case.governor, comment="Mer om bruken")
    case.report.answer(line, by=case.owner, used_owner=80_000)
    case.report.submit(by=case.partner)
    return case


def test_it_lists_every_submitted_version_with_when_and_by_whom(client, case):
    client.force_login(case.owner)
    response = client.get(versions_url(case.report))
    page = response.content.decode()
    assert response.status_code == 200
    versions = re.findall(r'<tr data-version="([^"]+)">(.*?)</tr>', page, re.S)
    assert [number for number, _ in versions] == ["1", "2"]
    assert str(case.owner) in versions[0][1] and str(case.partner) in versions[1][1]
    assert "?a=1&amp;b=2" in versions[1][1]


def test_by_default_it_compares_the_latest_two_and_marks_the_changed_amount(client, case):
    client.force_login(case.owner)
    page = client.get(versions_url(case.report)).content.decode()
    assert '<dd data-side="1">' in page and '<dd data-side="2">' in page
    used = row(page, "used_owner")
    assert 'class="lk-differs"' in used and "Endret" in used
    assert f"<del>{format_kroner(60_000)}</del>" in used and f"<mark>{format_kroner(80_000)}</mark>" in used
    unused = row(page, "unused_owner")  # derived: granted − used
    assert f"<del>{format_kroner(40_000)}</del>" in unused and f"<mark>{format_kroner(20_000)}</mark>" in unused
    granted = row(page, "granted_owner")
    assert "lk-differs" not in granted and "<mark>" not in granted and format_kroner(100_000) in granted
    assert 'id="changes" data-changed="2"' in page
    line = case.report.lines.get()
    assert f'id="measure-{line.measure_id}-{line.scheme.code}" data-changed="2"' in page


def test_while_back_with_the_partnership_it_compares_the_latest_version_with_the_draft(client, case):
    case.report.return_for_more(by=case.governor, comment="Enda mer")
    line = case.report.lines.get()
    case.report.answer(line, by=case.owner, used_uh=45_000)
    client.force_login(case.partner)
    page = client.get(versions_url(case.report)).content.decode()
    assert '<dd data-side="2">' in page and '<dd data-side="utkast">' in page
    assert '<tr data-version="utkast">' in page
    used = row(page, "used_uh")
    assert f"<del>{format_kroner(50_000)}</del>" in used and f"<mark>{format_kroner(45_000)}</mark>" in used
    assert "lk-differs" not in row(page, "used_owner")  # 80 000 in both
    # once submitted again, the draft is gone: an old link to it is 404, the latest two are compared
    case.report.submit(by=case.partner)
    assert client.get(versions_url(case.report) + "?b=utkast").status_code == 404
    page = client.get(versions_url(case.report)).content.decode()
    assert '<dd data-side="2">' in page and '<dd data-side="3">' in page


def test_two_chosen_versions_in_either_order_and_the_same_one_twice(client, case):
    client.force_login(case.owner)
    page = client.get(versions_url(case.report) + "?a=2&b=1").content.decode()
    used = row(page, "used_owner")
    assert f"<del>{format_kroner(80_000)}</del>" in used and f"<mark>{format_kroner(60_000)}</mark>" in used
    same = client.get(versions_url(case.report) + "?a=2&b=2").content.decode()
    assert 'id="changes"' in same and "data-field=" not in same


def test_a_report_not_yet_submitted_says_so(client):
    case = decided()
    client.force_login(case.owner)
    response = client.get(versions_url(case.report))
    assert response.status_code == 200 and 'id="no-versions"' in response.content.decode()
    assert client.get(versions_url(case.report) + "?a=1").status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "?a=²",
        "?b=٣",
        "?a=99999999999999999999",
        "?a=0",
        "?a=3",
        "?b=-1",
        "?a=1.0",
        "?a=%201",
        "?a=1%00",
        "?b=%00",
        "?b=utkast",  # the report is submitted: there is no draft to compare with
        "?a=UTKAST",
    ],
)
def test_bad_choices_are_404_never_an_error(client, case, query):
    client.force_login(case.owner)
    assert client.get(versions_url(case.report) + query).status_code == 404


def test_the_statsforvalter_following_up_sees_it_and_others_do_not(client, case):
    client.force_login(case.governor)
    page = client.get(versions_url(case.report)).content.decode()
    followup = reverse("reporting:followup_report", args=[case.round.office.slug, case.round.year, case.report.pk])
    assert f'href="{followup}" id="versions-report-link"' in page and "<mark>" in page
    other_needs = make_report(case.round)
    other_owner = make_user()
    add_contact(other_needs, other_owner, "owner")
    for stranger in (other_owner, governor_of(make_office()), make_user()):
        client.force_login(stranger)
        assert client.get(versions_url(case.report)).status_code == 404, stranger
    client.force_login(case.owner)
    assert client.get(reverse("reporting:funds_versions", args=[10**19])).status_code == 404
    assert client.post(versions_url(case.report)).status_code == 405
    client.logout()
    response = client.get(versions_url(case.report))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_the_writer_gets_the_link_back_to_the_form(client, case):
    client.force_login(case.owner)
    page = client.get(versions_url(case.report)).content.decode()
    assert f'href="{case.report.get_absolute_url()}" id="versions-report-link"' in page


def test_it_stays_within_15_queries_with_many_measures(client, django_assert_max_num_queries):
    case = decided(amounts=tuple((10_000 * n, 5_000) for n in range(1, 13)))
    for line in case.report.lines.all():
        fill_in(line, unused_proposal="return")
    case.report.submit(by=case.owner)
    governor = governor_of(case.round.office)
    case.report.return_for_more(by=governor, comment="Mer")
    for line in case.report.lines.all():
        case.report.answer(line, by=case.owner, used_uh=1_000)
    for user in (case.owner, governor):
        client.force_login(user)
        with django_assert_max_num_queries(15):
            response = client.get(versions_url(case.report))  # version 1 against the draft
        assert response.status_code == 200
        assert response.content.decode().count('class="lk-differs"') == 24  # used and unused by UH, per measure
    case.report.submit(by=case.owner)
    with django_assert_max_num_queries(15):
        assert client.get(versions_url(case.report)).status_code == 200


def test_compare_marks_added_and_removed_lines_and_leaves_out_empty_texts():
    old = {"lines": [{"measure": 1, "scheme": "dekomp", "name": "A", "used_owner": 5, "anchoring": ""}]}
    new = {"lines": [{"measure": 2, "scheme": "dekomp", "name": "B", "used_owner": 5, "anchoring": "Svar"}]}
    added, removed = compare(old, new, schemes={"dekomp": "Dekomp"})
    assert (added.state, added.name, added.scheme, removed.state, removed.name) == (
        "added",
        "B",
        "Dekomp",
        "removed",
        "A",
    )
    assert [f.name for f in removed.fields if f.name == "anchoring"] == []  # empty in both
    anchoring = next(f for f in added.fields if f.name == "anchoring")
    assert (anchoring.old, anchoring.new, anchoring.differs) == ("–", "Svar", True)


def test_it_can_show_only_what_changed(client, case):
    client.force_login(case.owner)
    page = client.get(versions_url(case.report) + "?vis=endret").content.decode()
    assert re.findall(r'<tr data-field="([^"]+)"', page) == ["used_owner", "unused_owner"]
    assert 'id="only-changed" checked' in page
    every = client.get(versions_url(case.report) + "?vis=%00").content.decode()  # anything else: every field
    assert 'data-field="granted_owner"' in every
