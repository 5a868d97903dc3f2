"""The group tasks' templates, from the handout «Gruppearbeid – forslag til oppgaver» (seed 000).

At county level the Statsforvalter leads six questions; at municipal level each municipality works on
its strategy for anchoring and on its plan, going through the plan's seven content elements. The
questions are the handout's own words (content, not interface text: they stay in Norwegian). A task
copies its template's questions when it is made, so a later change here leaves earlier tasks as the
groups answered them. At municipal level the keys of the seven elements are the plan's field names
(`models.plans.PLAN_ELEMENTS`): a group's answers to them can start the municipality's plan.
"""

from __future__ import annotations

from typing import TypedDict


class Question(TypedDict):
    key: str
    title: str
    prompts: list[str]


COUNTY: list[Question] = [
    {
        "key": "cooperation",
        "title": "Hvordan skal vi samarbeide i vårt fylke?",
        "prompts": [
            "Mellom Fylkesmannen og kommunene?",
            "Mellom kommuner?",
            "Internt i kommunen?",
            "Andre konstellasjoner?",
        ],
    },
    {
        "key": "network_structure",
        "title": "Hvilken nettverksstruktur vil være hensiktsmessig i vårt fylke?",
        "prompts": [
            "Hvilke nettverk har vi i dag?",
            "Kan de brukes til dette formålet?",
            "Trenger vi å opprette nye nettverk?",
            "Hva og for hvem skal våre nettverk være?",
            "Hva skal vi legge vekt på ved de fylkesvise samlingene?",
        ],
    },
    {
        "key": "resource_person",
        "title": "Ressursperson",
        "prompts": [
            "Hvordan skal vi rekruttere og bruke ressursperson på best mulig måte? Samarbeid på tvers av kommuner?"
        ],
    },
    {
        "key": "external_competence",
        "title": "Ekstern kompetanse",
        "prompts": [
            "Hva trenger vi av ekstern kompetanse?",
            "Hvor kan vi finne det?",
            "Samarbeid mellom kommuner?",
            "Hvordan skal det finansieres? Søke midler internt/eksternt?",
        ],
    },
    {
        "key": "support_system",
        "title": "Støttesystem",
        "prompts": [
            "Hvordan skal vi fra vårt nivå i praksis klare å aktivt støtte og følge opp arbeidet "
            "i barnehagene og skolene?"
        ],
    },
    {
        "key": "other_issues",
        "title": "Andre relevante problemstillinger",
        "prompts": ["Hvilke andre problemstillinger ser vi som er viktig å løfte når vi sitter sammen på fylkesnivå?"],
    },
]

_PLAN = "Kommunens plan: "
MUNICIPAL: list[Question] = [
    {
        "key": "anchoring_strategy",
        "title": "Strategi/plan for forankring",
        "prompts": [
            "Start, eller fortsett arbeidet med å lage en strategi/plan for hvordan forankringsarbeidet opp mot "
            "politisk nivå, og opp mot skolene og barnehagene skal foregå.",
            "Hva må skje før første samling?",
            "Hva må skje før sommeren?",
        ],
    },
    {
        "key": "development_areas",
        "title": _PLAN + "Utviklingsområder og innhold",
        "prompts": [
            "Start, eller fortsett arbeidet med kommunens plan. Definer hensiktsmessig arbeidsform og om dere "
            "ønsker å samarbeide med andre kommuner."
        ],
    },
    {"key": "goals", "title": _PLAN + "Mål", "prompts": []},
    {"key": "organisation", "title": _PLAN + "Kommunens organisering og forankring av arbeidet", "prompts": []},
    {"key": "implementation", "title": _PLAN + "Gjennomføring av kompetanseutviklingen", "prompts": []},
    {"key": "other_measures", "title": _PLAN + "Eventuelle andre tiltak på lokalt nivå", "prompts": []},
    {"key": "financing", "title": _PLAN + "Finansiering", "prompts": []},
    {"key": "challenges", "title": _PLAN + "Utfordringer og muligheter", "prompts": []},
]

TEMPLATES: dict[str, list[Question]] = {"county": COUNTY, "municipal": MUNICIPAL}
TITLES = {"county": "Gruppearbeid på fylkesnivå", "municipal": "Gruppearbeid på kommunenivå"}


def questions_of(level: str) -> list[Question]:
    """A fresh copy of the level's questions (a task keeps its own)."""
    return [{"key": q["key"], "title": q["title"], "prompts": list(q["prompts"])} for q in TEMPLATES[level]]
