"""The demo's Nordland 2024 round (decided in lokalkomp/demo/late.py) exports a valid archive package."""

from __future__ import annotations

import time
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lokalkomp.accounts.models import User
from lokalkomp.allocation.models import Decision
from lokalkomp.demo.build import build
from lokalkomp.needs.models import NeedsReport
from lokalkomp.reporting.archive.package import build_package
from lokalkomp.reporting.archive.sources import INCOMING, OUTGOING
from lokalkomp.schemes.models import Round

from .test_archive import N, check_package


@pytest.fixture
def demo(db: Any) -> Any:
    with time_machine.travel("2026-12-01 10:00 +01:00", tick=True):
        build()
        yield


def test_the_demo_nordland_2024_round_exports_a_valid_package(demo: Any) -> None:
    round = Round.objects.select_related("office").get(office__slug="nordland", year=2024)
    governor = User.objects.get(email="statsforvalter@lokalkomp.test")
    decisions = Decision.objects.filter(round=round).count()
    assert decisions > 0  # the demo decides 2024
    with CaptureQueriesContext(connection) as queries:
        started = time.monotonic()
        content = build_package(round, by=governor)
        seconds = time.monotonic() - started
    _, root = check_package(content)
    entries = root.findall("n:arkivdel/n:mappe/n:registrering", N)
    kinds = [entry.findtext("n:journalposttype", namespaces=N) for entry in entries]
    assert kinds.count(OUTGOING) == decisions
    submitted = NeedsReport.objects.filter(round=round).submitted().count()
    assert kinds.count(INCOMING) >= submitted > 0
    titles = " ".join(entry.findtext("n:tittel", namespaces=N) for entry in entries)
    assert "God opplæring for alle" in titles  # the Ytre Helgeland partnership's report
    print(f"archive export, demo Nordland 2024: {len(entries)} documents, {len(queries)} queries, {seconds:.1f} s")
