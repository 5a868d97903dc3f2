"""The allocation criteria of every scheme version, and Trøndelag's four central questions (seed 002).

The data is frozen here, as the regulation and the seeds state it (domain.md §6): the same five
criteria hold for the three schemes until 2025 and the merged scheme from 2026. A new scheme
version without criteria gets them from `criteria.ensure_for_scheme`, which reads this file's frozen
data (as schemes/seed.py reads its migration).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

CRITERIA = [
    (
        "Lokal vurdering",
        "Behovene bygger på en lokal vurdering i den enkelte barnehage og skole, i faglig dialog med UH.",
    ),
    (
        "Forankret i enheten",
        "Vurderingen er forankret i enheten, og ansatte og ledere er involvert.",
    ),
    (
        "Barnehage- og skolebasert",
        "Midlene går til barnehagebasert og skolebasert kompetanseutvikling.",
    ),
    (
        "Kollektive prosesser",
        "Tiltakene fremmer kollektive prosesser for profesjonsutvikling som utvikler enheten.",
    ),
    (
        "Partnerskap med UH",
        "Tiltakene gjennomføres i partnerskap mellom eiere og UH, som også tar erfaringene inn i lærerutdanningene.",
    ),
]

CENTRAL_QUESTIONS = [
    ("Lokal forankring", "Hvordan sikrer dere lokal forankring av utviklingstiltakene?"),
    ("Fragmentering", "Hvordan hindrer dere fragmentering av utviklingstiltakene?"),
    ("Skolebasert", "Har utviklingstiltakene en skolebasert tilnærming?"),
    ("Elevstemmen", "Hvordan ivaretas elevstemmen i planlegging og evaluering av tiltakene?"),
]


def seed(apps: Any, schema_editor: Any) -> None:
    Scheme = apps.get_model("schemes", "Scheme")
    Criterion = apps.get_model("allocation", "Criterion")
    rows = []
    for scheme in Scheme.objects.all():
        for set_name, items in (("criteria", CRITERIA), ("central_questions", CENTRAL_QUESTIONS)):
            for number, (short, text) in enumerate(items, start=1):
                rows.append(Criterion(scheme=scheme, set=set_name, number=number, short=short, text=text))
    Criterion.objects.bulk_create(rows, ignore_conflicts=True)


def unseed(apps: Any, schema_editor: Any) -> None:
    apps.get_model("allocation", "Criterion").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("allocation", "0001_initial"),
        ("schemes", "0002_seed_schemes"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
