"""A network's named coordinator (Network.coordinator) becomes a coordinator membership, before the field goes.

Who coordinates a network was read from both; from now on only the membership says it. A named
coordinator whose membership was taken away (active=False) kept the right through the field, so the
membership is made active again: nobody loses or gains a right in the move. Going back names, for each
network, the first of its active coordinators.
"""

from typing import Any

from django.db import migrations

COORDINATOR = "network_coordinator"


def to_memberships(apps: Any, schema_editor: Any) -> None:
    Network = apps.get_model("directory", "Network")
    Membership = apps.get_model("accounts", "Membership")
    for network in Network.objects.filter(coordinator__isnull=False).order_by("pk"):
        # Filter, not get: PostgreSQL's unique constraint lets rows with NULLs repeat, so there may be two.
        same = Membership.objects.filter(
            user_id=network.coordinator_id, role=COORDINATOR, network=network, office=None, organisation=None
        )
        if same.exists():
            same.update(active=True)
        else:
            Membership.objects.create(user_id=network.coordinator_id, role=COORDINATOR, network=network, active=True)


def to_field(apps: Any, schema_editor: Any) -> None:
    Network = apps.get_model("directory", "Network")
    Membership = apps.get_model("accounts", "Membership")
    memberships = Membership.objects.filter(role=COORDINATOR, active=True, network__isnull=False).order_by("pk")
    for membership in memberships:
        Network.objects.filter(pk=membership.network_id, coordinator__isnull=True).update(
            coordinator_id=membership.user_id
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_invitation_token_hash"),
        ("directory", "0002_organisation_reviewed"),
    ]
    run_before = [("directory", "0003_remove_network_coordinator")]

    operations = [migrations.RunPython(to_memberships, to_field)]
