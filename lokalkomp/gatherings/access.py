"""Who may see and run gatherings. Views call these; they never test roles inline.

404 for a stranger to the gathering, 403 for someone who may see it but not run it (the forum).
Participants' pages take no user: they find the gathering by its join code (see `participation`).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from .models import Activity, Gathering, GroupAnswer, GroupTask, MunicipalPlan, Response, TaskGroup
from .rules import (
    can_edit_plan,
    can_run_gathering,
    can_view_gathering,
    can_view_plan,
    owner_ids_of,
    visible_gatherings_q,
    visible_plans_q,
)


def visible_gatherings(user: Any) -> QuerySet[Gathering]:
    return Gathering.objects.filter(visible_gatherings_q(user))


def get_gathering_for(
    user: Any, pk: int, *, write: bool = False, queryset: QuerySet[Gathering] | None = None
) -> Gathering:
    """The gathering; 404 for strangers, 403 for those who may see it but asked to run it."""
    queryset = queryset if queryset is not None else Gathering.objects.select_related("office", "network", "round")
    gathering = queryset.filter(pk=pk).first()
    if gathering is None or not can_view_gathering(user, gathering):
        raise Http404
    if write and not can_run_gathering(user, gathering):
        raise PermissionDenied(_("Only the gathering's organisers may do this."))
    return gathering


def may_run(user: Any, gathering: Gathering) -> bool:
    return bool(can_run_gathering(user, gathering))


def get_activity_for(user: Any, pk: int, activity: int, *, write: bool = False) -> Activity:
    """An activity of a gathering the user may see (run, with `write`); 404 if it is not that gathering's."""
    gathering = get_gathering_for(user, pk, write=write)
    found = Activity.objects.filter(gathering=gathering, pk=activity).first()
    if found is None:
        raise Http404
    found.gathering = gathering
    return found


def get_response_for(user: Any, pk: int, response: int) -> Response:
    """A response in a gathering the user runs (to hide or approve it)."""
    gathering = get_gathering_for(user, pk, write=True)
    found = Response.objects.select_related("activity").filter(activity__gathering=gathering, pk=response).first()
    if found is None:
        raise Http404
    found.activity.gathering = gathering
    return found


def organiser_scope(user: Any) -> dict[str, Any]:
    """What the gathering form offers the user: rounds, networks and forums of the places they organise for.

    The Statsforvalter organises for its office (any of its networks, or its forum); a coordinator
    only for their own networks, so a network is then required. The saved gathering is asked
    `can_run_gathering` again (see views.save_gathering): the choices are a convenience, not the check.
    """
    from lokalkomp.accounts.models import GOVERNOR_ROLES
    from lokalkomp.accounts.rules import coordinated_network_ids, office_ids_with
    from lokalkomp.directory.models import Forum, Network
    from lokalkomp.schemes.models import Round

    governed: set[int]
    offices: set[int] | None
    if getattr(user, "is_superuser", False):
        offices, governed = None, set()
        networks = Network.objects.select_related("office")
    else:
        governed = office_ids_with(user, GOVERNOR_ROLES)
        coordinated = coordinated_network_ids(user)
        networks = Network.objects.filter(Q(office_id__in=governed) | Q(pk__in=coordinated)).select_related("office")
        offices = governed | set(Network.objects.filter(pk__in=coordinated).values_list("office_id", flat=True))
    rounds = Round.objects.select_related("office").order_by("-year", "office__name")
    forums = Forum.objects.all()
    if offices is not None:
        rounds = rounds.filter(office_id__in=offices)
        forums = forums.filter(office_id__in=governed)
    return {
        "rounds": rounds,
        "networks": networks,
        "forums": forums,
        "network_required": offices is not None and not governed,
    }


# ── Group tasks and the municipality's plan ──


def get_task_for(user: Any, pk: int, task: int, *, write: bool = False) -> GroupTask:
    """A group task of a gathering the user may see (run, with `write`); 404 if it is not that gathering's."""
    gathering = get_gathering_for(user, pk, write=write)
    found = GroupTask.objects.filter(gathering=gathering, pk=task).first()
    if found is None:
        raise Http404
    found.gathering = gathering
    return found


def get_group_by_link(token: str) -> TaskGroup:
    """The group whose link this is (no account: the link is the key); 404 for a wrong or unpublished one."""
    found = (
        TaskGroup.objects.select_related("task__gathering", "owner")
        .filter(token=token[:40], task__gathering__status=Gathering.Status.PUBLISHED)
        .first()
    )
    if found is None:
        raise Http404
    return found


def visible_plans(user: Any) -> QuerySet[MunicipalPlan]:
    return MunicipalPlan.objects.filter(visible_plans_q(user))


def get_plan_for(user: Any, pk: int, *, write: bool = False) -> MunicipalPlan:
    """The plan; 404 for strangers, 403 for the county's organisers, who read it but do not write it."""
    plan = MunicipalPlan.objects.select_related("owner").filter(pk=pk).first()
    if plan is None or not can_view_plan(user, plan):
        raise Http404
    if write and not can_edit_plan(user, plan):
        raise PermissionDenied(_("Only the owner's own people write its plan."))
    return plan


def plan_owner_choices(user: Any) -> QuerySet[Any]:
    """The owners the user may make a plan for: those they speak for (every owner, for a superuser)."""
    from lokalkomp.directory.models import Organisation

    owners = Organisation.objects.owners().order_by("name")
    return owners if getattr(user, "is_superuser", False) else owners.filter(pk__in=owner_ids_of(user))


def get_group_answer_for(user: Any, pk: int, answer: int) -> GroupAnswer:
    """A group's answer in a gathering the user runs (to pick it for the needs analysis)."""
    gathering = get_gathering_for(user, pk, write=True)
    found = GroupAnswer.objects.filter(group__task__gathering=gathering, pk=answer).first()
    if found is None:
        raise Http404
    return found
