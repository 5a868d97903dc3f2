from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GatheringsConfig(AppConfig):
    name = "lokalkomp.gatherings"
    label = "gatherings"
    verbose_name = _("Gatherings")

    def ready(self) -> None:
        from lokalkomp.accounts import matrix, navigation
        from lokalkomp.schemes import panels as schemes_panels

        from . import cycle
        from .navigation import gatherings

        if gatherings not in navigation.providers:
            navigation.providers.append(gatherings)  # the header's «Gatherings»
        from . import panels as _panels  # noqa: F401  the picks on the network's and the round's pages

        _link_measures_to_plans()  # needs' measure page and record: the municipal plan's areas

        source = schemes_panels.CalendarSource(in_round=cycle.in_round, in_feed=cycle.in_feed)
        if source not in schemes_panels.calendar_sources:
            schemes_panels.calendar_sources.append(source)

        def place(world: matrix.RoleWorld) -> dict[str, Any]:
            from lokalkomp.schemes.models import Round

            from .models import Gathering, MunicipalPlan

            round = Round.objects.get_or_create(office=world.office, year=2027)[0]
            day = dt.date(2027, 10, 5)
            return {
                "network_gathering": Gathering.objects.create(
                    office=world.office, round=round, network=world.network, title="Nettverkssamling", date=day
                ),
                "office_gathering": Gathering.objects.create(
                    office=world.office, round=round, title="Ledersamling", date=day
                ),
                "owner_plan": MunicipalPlan.objects.create(owner=world.owner, first_year=2024, last_year=2027),
            }

        # The role matrix's columns of the gatherings (the predicates are in this app's rules.py).
        matrix.sections["gatherings"] = matrix.Section(
            actions=(
                matrix.Action("Organise gatherings", "gatherings.add_gathering", ""),
                matrix.Action("See the office's gatherings", "gatherings.view_gathering", "office_gathering"),
                matrix.Action("Run the office's gathering", "gatherings.change_gathering", "office_gathering"),
                matrix.Action("Run the network's gathering", "gatherings.change_gathering", "network_gathering"),
                matrix.Action("Make a municipality's plan", "gatherings.add_municipalplan", ""),
                matrix.Action("Read the owner's plan", "gatherings.view_municipalplan", "owner_plan"),
                matrix.Action("Write the owner's plan", "gatherings.change_municipalplan", "owner_plan"),
            ),
            place=place,
        )


def _link_measures_to_plans() -> None:
    """A measure names the development areas of its owners' plans it serves (needs/extensions.py)."""
    from lokalkomp.needs import extensions

    from . import measure_areas
    from .models import MeasureArea

    if measure_areas.measure_section not in extensions.measure_sections:
        extensions.measure_sections.append(measure_areas.measure_section)
    if measure_areas.RECORD not in extensions.record_extras:
        extensions.record_extras.append(measure_areas.RECORD)
    if MeasureArea.copy not in extensions.measure_copied:
        extensions.measure_copied.append(MeasureArea.copy)
