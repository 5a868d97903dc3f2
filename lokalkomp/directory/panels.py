"""What apps later in the year show on a network's page: directory comes first and may not import them.

Such an app appends a function to `network_sections` when it is loaded (from its AppConfig.ready()).
The network's view calls each with the request and the network, and shows the HTML it returns.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from .models import Network

network_sections: list[Callable[[HttpRequest, Network], str]] = []  # accounts: its coordinators; needs: its reports
