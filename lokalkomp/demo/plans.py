"""The demo's plans: Nordland's long-term plan 2023–2026 with its goals, and Alstahaug's municipal plan.

The seeds do not give the long-term plan's goals. Seed 003's measures say how each is anchored in
«langsiktig plan»: a good and inclusive learning environment, a professional community that reflects
on shared values, schools that examine their own practice (Ekspertgruppen for skolebidrag), language,
reading and writing as basic skills, and every employee taking part. The goals below are made up
from those answers, and so is Alstahaug's plan; which goals each 2024 measure names follows its text.

Built before the demo's submitted reports are put on record (build.py), so their version 1 holds
the goals; on a database where the versions exist already, the record is not rewritten. Everything
matches on natural keys: loading again changes nothing and records nothing.
"""

from __future__ import annotations

from lokalkomp.directory.models import Office, Organisation
from lokalkomp.gatherings.models import MeasureArea, MunicipalPlan, PlanArea, PlanEvent
from lokalkomp.needs.models import Measure, NeedsReport
from lokalkomp.schemes.models import LongTermPlan, PlanGoal

SOURCE = "script"
PLAN_TITLE = "Langsiktig plan for kompetanseutvikling i barnehage og skole i Nordland"
GOALS = [
    "Et godt og inkluderende leke- og læringsmiljø for alle barn og elever",
    "Profesjonsfaglige fellesskap som reflekterer over felles verdier og utvikler praksisen sin",
    "Barnehager og skoler undersøker egen praksis og bruker det de finner til å forbedre den",
    "Språk, lesing og skriving som grunnleggende ferdigheter i alle fag og i barnehagens hverdag",
    "Alle ansatte – også assistenter, fagarbeidere og SFO-ansatte – er med i kompetanseutviklingen",
]
# Ytre Helgeland 2024 (seed 003): measure number → the goals (numbers above) it names.
GOALS_OF_MEASURES = {1: [3], 2: [4, 2], 3: [4, 2], 4: [4, 5], 5: [3, 1], 6: [4]}

ALSTAHAUG_AREAS = [
    (
        "Språk, lesing og skriving",
        "Felles arbeid i barnehagene og på 1.–10. trinn, med nettverk på tvers av kommunene i Ytre Helgeland.",
    ),
    ("Inkluderende læringsmiljø", "Alle barn og elever skal oppleve mestring og tilhørighet i fellesskapet."),
]
ALSTAHAUG_GOALS = "Alle barn og elever i Alstahaug skal lese og skrive godt, og alle ansatte deler ansvaret."


def build_plans(office: Office) -> None:
    goals = _long_term_plan(office)
    report = NeedsReport.objects.filter(
        round__office=office, round__year=2024, partnership__name="God opplæring for alle"
    )
    for measure in Measure.objects.filter(report__in=report, position__in=GOALS_OF_MEASURES):
        measure.goals.add(*(goals[n - 1] for n in GOALS_OF_MEASURES[measure.position]))
    _alstahaug(office)


def _long_term_plan(office: Office) -> list[PlanGoal]:
    plan = LongTermPlan.objects.filter(office=office, first_year=2023).first()
    if plan is None:
        plan = LongTermPlan.make(
            office=office, first_year=2023, last_year=2026, title=PLAN_TITLE, by=None, source=SOURCE
        )
    by_text = {goal.text: goal for goal in plan.goals.all()}
    return [by_text.get(text) or plan.add_goal(text, by=None, source=SOURCE) for text in GOALS]


def _alstahaug(office: Office) -> None:
    """Alstahaug's plan 2024–2027, its two areas, and the first measure of its 2027 draft naming one."""
    owner = Organisation.objects.get(kind=Organisation.Kind.MUNICIPALITY, municipality__number="1820")
    plan, created = MunicipalPlan.objects.get_or_create(
        owner=owner,
        first_year=2024,
        last_year=2027,
        defaults={"goals": ALSTAHAUG_GOALS, "development_areas": "\n".join(t for t, _c in ALSTAHAUG_AREAS)},
    )
    if created:
        PlanEvent.objects.create(plan=plan, kind=PlanEvent.Kind.CREATED, detail="Demo")
    areas = [
        PlanArea.objects.update_or_create(plan=plan, title=title, defaults={"content": content, "position": n})[0]
        for n, (title, content) in enumerate(ALSTAHAUG_AREAS, start=1)
    ]
    draft = (
        Measure.objects.filter(
            report__round__office=office, report__round__year=2027, report__partnership__name="God opplæring for alle"
        )
        .order_by("position")
        .first()
    )
    if draft is not None:
        for area in areas:
            MeasureArea.objects.get_or_create(measure=draft, area=area)
