"""The four schemes lokalkomp knows of: three until 2025 and the merged scheme from 2026.

Parameters that are not yet known for 2026 (co-financing, caps) are left empty and
changed as a new version when Udir publishes them. Used by the demo and the tests' builders; the
data migration 0002_seed_schemes holds a frozen copy.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

UNTIL_2025 = dt.date(2025, 12, 31)
CORE_USES = ["assessment", "planning", "implementation", "coordinator"]

SCHEMES: list[dict[str, Any]] = [
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


def seed_schemes(Scheme: Any, SchemeCap: Any) -> None:  # noqa: N803
    """Create the known schemes that are missing; safe to run again.

    A scheme that exists is left as it is: once a round uses it, its rules are a record, and a
    change of rules is a new version (`Scheme.new_version`). The data migration 0002_seed_schemes
    holds its own frozen copy of this data.
    """
    for data in SCHEMES:
        data = dict(data)
        caps = data.pop("caps", [])
        scheme, created = Scheme.objects.get_or_create(code=data.pop("code"), defaults=data)
        if created:
            for cap in caps:
                SchemeCap.objects.create(scheme=scheme, **cap)
