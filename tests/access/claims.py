"""Who may follow a claim back to its end (issue 13): its page, marking it repaid, withdrawing it.

As the rest of the follow-up (followup.py): the Statsforvalter of the round's office (case officer and
administrator) may; everyone else signed in is told no (403: the round is public), the anonymous the
sign-in page. The claim is the one followup.py makes on the submitted report; each request is rolled back,
so marking it repaid and withdrawing it succeed for those who may.
"""

from __future__ import annotations

import datetime as dt

from .assess import only
from .followup import GOVERNORS, claim_kw
from .rules import Rule

CLAIM_RULES: dict[str, Rule] = {
    "reporting:followup_claim_detail": Rule("get", only(GOVERNORS, 200), kwargs=claim_kw),
    "reporting:followup_claim_repaid": Rule(
        "post",
        only(GOVERNORS, 302),
        kwargs=claim_kw,
        data=lambda w, side: {"repaid_on": dt.date.today().isoformat()},
    ),
    "reporting:followup_claim_withdraw": Rule(
        "post", only(GOVERNORS, 302), kwargs=claim_kw, data=lambda w, side: {"reason": "Feilberegnet"}
    ),
}
