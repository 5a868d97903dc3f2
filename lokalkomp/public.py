"""Pages every public service must have: the accessibility statement and the privacy statement.

Both are open to anyone, signed in or not, and linked from the footer of every page.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

# When the accessibility statement was last checked against the service; update it with the list below.
STATEMENT_CHECKED_ON = dt.date(2026, 12, 1)

# What is known not to conform to WCAG 2.1 AA yet, with the success criterion it fails. Remove a line
# when its fix has landed (the browser tests' axe-core scans guard the rest).
KNOWN_PROBLEMS = (
    (
        _("The PDF of a needs report is not tagged for screen readers (PDF/UA): headings and tables are not marked."),
        "1.3.1",
    ),
    (
        _("The secret shown when two-factor authentication is set up has too little contrast against its background."),
        "1.4.3",
    ),
    (
        _(
            "On a narrow phone screen some tables scroll sideways, and the totals column can be hidden until you scroll."
        ),
        "1.4.10",
    ),
)


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    """Tilgjengelighetserklæring: the standard, what does not conform, how to report, who supervises."""
    context = {"checked_on": STATEMENT_CHECKED_ON, "known": KNOWN_PROBLEMS, "contact": settings.CONTACT_EMAIL}
    return render(request, "public/accessibility.html", context)


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    """Personvernerklæring: what personal data lokalkomp processes, why, on which basis, how long, your rights."""
    return render(request, "public/privacy.html", {"contact": settings.CONTACT_EMAIL})
