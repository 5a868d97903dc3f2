from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchemesConfig(AppConfig):
    name = "lokalkomp.schemes"
    label = "schemes"
    verbose_name = _("Schemes")

    def ready(self) -> None:
        from lokalkomp.accounts import matrix, navigation

        from .models import Round
        from .navigation import office_rounds

        if office_rounds not in navigation.providers:
            navigation.providers.append(office_rounds)  # the header's link to the office's round

        def place(world: matrix.RoleWorld) -> dict[str, Round]:
            return {"round": Round.objects.get_or_create(office=world.office, year=2027)[0]}

        # The role matrix's column of the annual cycle (the predicate is accounts.rules.can_edit_cycle).
        matrix.sections["schemes"] = matrix.Section(
            actions=(
                matrix.Action("Edit the annual cycle", "schemes.change_round", "round"),
                matrix.Action("Edit the budget frames and keys", "schemes.change_frames", "round"),
                # schemes/rules.py: the office's long-term plan and its goals
                matrix.Action("Read the long-term plan", "schemes.view_longtermplan", "office"),
                matrix.Action("Keep the long-term plan", "schemes.change_longtermplan", "office"),
            ),
            place=place,
        )
