"""What accounts shows on the pages of the apps before it, which may not import it.

The network's page (directory) names its coordinators: the people who hold the coordinator
membership in it. AccountsConfig.ready() adds it to that page's registry.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from lokalkomp.directory.models import Network

from .models import Membership, User


def network_coordinators(request: HttpRequest, network: Network) -> str:
    coordinators = User.objects.filter(memberships__in=Membership.objects.coordinating([network])).order_by(
        "last_name", "first_name", "email"
    )
    return render_to_string("accounts/_network_coordinators.html", {"coordinators": coordinators}, request=request)
