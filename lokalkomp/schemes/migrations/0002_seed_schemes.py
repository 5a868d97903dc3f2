"""Seed the four schemes lokalkomp knows of: three until 2025 and the merged scheme from 2026.

The data is frozen here, as it stood when this migration was written: a migration must make the
same rows whenever it runs, whatever the live code (lokalkomp/schemes/seed.py) says later. A change
of rules after this is a new version of a scheme (`Scheme.new_version`), never an edit of this file.
"""

import datetime as dt

from django.db import migrations

UNTIL_2025 = dt.date(2025, 12, 31)
CORE_USES = ["assessment", "planning", "implementation", "coordinator"]

SCHEMES = [
    {
        "code": "rekomp",
        "family": "rekomp",
        "short_name": "Regional ordning",
        "name": "Regional ordning for kompetanseutvikling i barnehage",
        "valid_from": dt.date(2018, 1, 1),
        "valid_to": UNTIL_2025,
        "regulation": "FOR-2021-01-26-230",
        "target_groups": ["kindergarten"],
        "allowed_partner_kinds": ["university"],
        "allowed_uses": CORE_USES + ["basic_competence", "assistant_courses", "trade_certificate"],
        "forbidden_uses": ["further_education"],
        "caps": [
            {
                "percent": 30,
                "uses": ["basic_competence", "assistant_courses", "trade_certificate"],
                "description": "Samarbeidsforum kan anbefale at inntil 30 % av midlene brukes til grunnleggende "
                "barnehagefaglig kompetanse, kurs for assistenter og fagarbeidere og fagbrev i barne- og "
                "ungdomsarbeiderfaget.",
            }
        ],
    },
    {
        "code": "dekomp",
        "family": "dekomp",
        "short_name": "Desentralisert ordning",
        "name": "Desentralisert ordning for kompetanseutvikling i skolen",
        "valid_from": dt.date(2017, 1, 1),
        "valid_to": UNTIL_2025,
        "regulation": "FOR-2021-01-26-230",
        "target_groups": ["primary_school", "upper_secondary"],
        "allowed_partner_kinds": ["university"],
        "allowed_uses": CORE_USES,
        "forbidden_uses": ["further_education"],
        "co_financing_percent": 30,
        "co_financing_basis": "state_grant",
        "co_financing_forms": ["money", "salary"],
        "description": "Skoleeier dekker en egenandel på 30 % av statstilskuddet, i penger eller som lønn/frikjøp.",
    },
    {
        "code": "kompetanseloftet",
        "family": "kompetanseloftet",
        "short_name": "Kompetanseløftet",
        "name": "Kompetanseløftet for spesialpedagogikk og inkluderende praksis",
        "valid_from": dt.date(2020, 1, 1),
        "valid_to": UNTIL_2025,
        "regulation": "FOR-2021-01-26-230",
        "target_groups": ["kindergarten", "primary_school", "upper_secondary", "pp_service"],
        "allowed_partner_kinds": ["university"],
        "allowed_uses": CORE_USES,
        "forbidden_uses": ["further_education"],
        "description": "Kommunen melder behov for barnehage, skole og PP-tjeneste samlet, med Statped som dialogpartner.",
    },
    {
        "code": "kollektiv-2026",
        "family": "kollektiv",
        "short_name": "Kollektiv kompetanseutvikling",
        "name": "Tilskuddsordning for kollektiv kompetanseutvikling i barnehage og grunnskole",
        "valid_from": dt.date(2026, 1, 1),
        "valid_to": None,
        "regulation": "",
        "target_groups": ["kindergarten", "primary_school", "sfo", "pp_service", "kulturskole"],
        "allowed_partner_kinds": ["university", "vocational_college"],
        "allowed_uses": CORE_USES,
        "forbidden_uses": ["further_education"],
        "description": "Erstatter de tre ordningene fra 2026. Videregående opplæring har egen ordning. "
        "Tiltakenes utbytte skal rapporteres. Egenandel og andre parametre er ikke kjent ennå.",
    },
]


def seed(apps, schema_editor):
    Scheme = apps.get_model("schemes", "Scheme")
    SchemeCap = apps.get_model("schemes", "SchemeCap")
    for data in SCHEMES:
        data = dict(data)
        caps = data.pop("caps", [])
        scheme, _created = Scheme.objects.update_or_create(code=data.pop("code"), defaults=data)
        SchemeCap.objects.filter(scheme=scheme).delete()
        for cap in caps:
            SchemeCap.objects.create(scheme=scheme, **cap)


class Migration(migrations.Migration):
    dependencies = [("schemes", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
