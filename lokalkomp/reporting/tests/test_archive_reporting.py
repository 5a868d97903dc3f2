"""The archive package holds reporting's own documents too: a submitted report on the use of funds (incoming,
from the partnership) and a claim letter (outgoing, to the decisions' recipients, with its case officer)."""

from __future__ import annotations

import pytest

from lokalkomp.accounts.models import Membership, Role
from lokalkomp.allocation.models import Decision
from lokalkomp.reporting.archive.package import build_package
from lokalkomp.reporting.archive.sources import INCOMING, OUTGOING
from lokalkomp.reporting.funds_testing import decided, fill_in
from lokalkomp.reporting.models import Claim
from lokalkomp.testing import make_user

from .test_archive import N, check_package

pytestmark = pytest.mark.django_db


def test_the_funds_report_and_the_claim_letter_are_journal_entries() -> None:
    case = decided()
    line = case.report.lines.get()
    fill_in(line, used_owner=90_000, unused_proposal="return")
    case.report.submit(by=case.owner)
    governor = make_user()
    Membership.objects.create(user=governor, role=Role.CASE_OFFICER, office=case.round.office)
    owner_decision = Decision.objects.filter(round=case.round, side="owner").get()
    claim = Claim.make(case.round, lines=[(owner_decision, 10_000)], reason="Ubrukt", by=governor, report=case.report)

    _, root = check_package(build_package(case.round, by=governor))
    entries = {e.findtext("n:tittel", namespaces=N): e for e in root.findall(".//n:registrering", N)}
    partnership = case.report.partnership.name
    funds = [
        e for t, e in entries.items() if partnership in t and e.findtext("n:journalposttype", namespaces=N) == INCOMING
    ]
    assert funds and any("v1" in e.findtext(".//n:referanseDokumentfil", namespaces=N) for e in funds)
    letters = [e for t, e in entries.items() if claim.number in t]
    assert len(letters) == 1
    letter = letters[0]
    assert letter.findtext("n:journalposttype", namespaces=N) == OUTGOING
    parties = {
        p.findtext("n:korrespondanseparttype", namespaces=N): p.findtext("n:korrespondansepartNavn", namespaces=N)
        for p in letter.findall("n:korrespondansepart", N)
    }
    assert parties["Mottaker"] == owner_decision.recipient_name
    assert letter.findtext("n:korrespondansepart/n:saksbehandler", namespaces=N) == str(governor)
