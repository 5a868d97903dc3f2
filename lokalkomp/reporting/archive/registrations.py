"""What the archive adds at start-up: its built-in document sources, and its link on the round's page."""

from __future__ import annotations


def register() -> None:
    from lokalkomp.schemes import panels as round_page

    from ..views.archive import round_panel
    from .builtin import BUILTIN
    from .reporting_sources import REPORTING
    from .sources import register as add_source

    for source in (*BUILTIN, *REPORTING):
        add_source(source)
    if round_panel not in round_page.round_panels:
        round_page.round_panels.append(round_panel)
