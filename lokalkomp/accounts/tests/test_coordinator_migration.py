"""A network's named coordinator becomes a coordinator membership when the field goes (and back)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("accounts", "0005_invitation_token_hash"), ("directory", "0002_organisation_reviewed")]
AFTER = [("accounts", "0006_network_coordinators_as_memberships"), ("directory", "0003_remove_network_coordinator")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_world(transactional_db):
    """The tables as they were with Network.coordinator; put back to today's afterwards."""
    apps = migrate(BEFORE)
    yield apps
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_each_named_coordinator_holds_an_active_coordinator_membership_afterwards(old_world):
    Office, Network, User = (
        old_world.get_model(*name.split(".")) for name in ("directory.Office", "directory.Network", "accounts.User")
    )
    Membership = old_world.get_model("accounts", "Membership")
    office = Office.objects.create(name="Statsforvalteren", slug="sf")
    named, taken_away, both = (User.objects.create(email=f"{n}@example.test") for n in ("named", "taken", "both"))
    Network.objects.create(office=office, name="A", slug="a", coordinator=named)
    second = Network.objects.create(office=office, name="B", slug="b", coordinator=taken_away)
    third = Network.objects.create(office=office, name="C", slug="c", coordinator=both)
    Network.objects.create(office=office, name="D", slug="d")
    Membership.objects.create(user=taken_away, role="network_coordinator", network=second, active=False)
    Membership.objects.create(user=both, role="network_coordinator", network=third)

    apps = migrate(AFTER)

    rows = apps.get_model("accounts", "Membership").objects.filter(role="network_coordinator")
    assert sorted(rows.values_list("user__email", "network__slug", "active", "office", "organisation")) == [
        ("both@example.test", "c", True, None, None),
        ("named@example.test", "a", True, None, None),
        ("taken@example.test", "b", True, None, None),
    ]
    assert "coordinator" not in {f.name for f in apps.get_model("directory", "Network")._meta.get_fields()}


def test_going_back_names_a_coordinator_of_each_network_again(old_world):
    apps = migrate(AFTER)
    Office, Network, User = (
        apps.get_model(*name.split(".")) for name in ("directory.Office", "directory.Network", "accounts.User")
    )
    office = Office.objects.create(name="Statsforvalteren", slug="sf")
    network = Network.objects.create(office=office, name="A", slug="a")
    person = User.objects.create(email="koordinator@example.test")
    apps.get_model("accounts", "Membership").objects.create(user=person, role="network_coordinator", network=network)

    before = migrate(BEFORE)

    assert before.get_model("directory", "Network").objects.get(pk=network.pk).coordinator_id == person.pk
