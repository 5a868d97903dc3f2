"""The one page action of this app: the work list's «Send a reminder» (the page itself is needs')."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from lokalkomp.needs.access import get_remindable_partnership_for
from lokalkomp.templatetags.nor import nodate

from .partnership_reminders import remind_partnership as send_reminder

# The work list's own parameters, carried back to it (it checks them again).
KEPT = ("network", "scheme", "status", "sort", "side", "mside")
PLAIN = re.compile(r"[0-9a-z_]{1,20}")


@require_POST
@login_required
def remind_partnership(request: HttpRequest, office: str, year: int, partnership: int) -> HttpResponse:
    """E-mail the partnership's contact persons that its needs report has not been started; once a day."""
    round, the_partnership = get_remindable_partnership_for(request.user, office, year, partnership)
    outcome = send_reminder(round=round, partnership=the_partnership, by=request.user)
    names = {"partnership": the_partnership.name, "year": round.year}
    if outcome.started:
        messages.info(
            request, _("%(partnership)s has started its needs report for %(year)s: no reminder was sent.") % names
        )
    elif outcome.no_address:
        messages.error(
            request, _("%(partnership)s has no contact person with an e-mail address: no reminder was sent.") % names
        )
    elif outcome.already and outcome.reminder is not None:
        when = nodate(outcome.reminder.day)
        messages.info(
            request,
            _("A reminder was sent to %(partnership)s today (%(date)s); it was not sent again.")
            % {**names, "date": when},
        )
    else:
        sent = ngettext(
            "The reminder to %(partnership)s was sent to %(n)s address.",
            "The reminder to %(partnership)s was sent to %(n)s addresses.",
            outcome.queued,
        )
        messages.success(request, sent % {**names, "n": outcome.queued})
    kept = {key: value for key in KEPT if PLAIN.fullmatch(value := request.GET.get(key, ""))}
    back = reverse("needs:worklist", args=[round.office.slug, round.year])
    return redirect(f"{back}{'?' + urlencode(kept) if kept else ''}#missing-heading")
