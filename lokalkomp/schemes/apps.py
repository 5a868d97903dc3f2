from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchemesConfig(AppConfig):
    name = "lokalkomp.schemes"
    label = "schemes"
    verbose_name = _("Schemes")

    def ready(self) -> None:
        from lokalkomp.accounts import matrix

        from .models import Round

        def place(world: matrix.RoleWorld) -> dict[str, Round]:
            return {"round": Round.objects.get_or_create(office=world.office, year=2027)[0]}

        # The role matrix's column of the annual cycle (the predicate is accounts.rules.can_edit_cycle).
        matrix.sections["schemes"] = matrix.Section(
            actions=(matrix.Action("Edit the annual cycle", "schemes.change_round", "round"),), place=place
        )
