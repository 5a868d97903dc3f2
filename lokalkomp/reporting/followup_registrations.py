"""What the follow-up adds to the registries of the apps before it: allocation's payment list (claims back),
schemes' frames page (unused funds transferred into next year's round)."""

from __future__ import annotations


def register() -> None:
    """Called once from ReportingConfig.ready()."""
    from lokalkomp.allocation import claims

    from .followup import claims_for_payment_list

    if claims_for_payment_list not in claims.claim_sources:
        claims.claim_sources.append(claims_for_payment_list)
    from lokalkomp.schemes import panels

    from .followup import transfers_into

    if transfers_into not in panels.frame_additions:
        panels.frame_additions.append(transfers_into)  # next year's frames page: unused funds transferred
