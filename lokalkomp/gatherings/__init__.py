"""Gatherings (samlinger): agendas and live activities that participants join by code on their phones.

How the presenter's view stays live (issue 14 asks for the choice and its reason):
htmx polling, every 1.5 s, of a cheap «what changed since version N» endpoint. Each activity has a
`version` counter in the database, bumped in the same UPDATE as every change to it (an answer, a
hidden or approved response, a state, a round or a timer change). The poll reads the gathering and
that one counter and answers 204 when nothing changed, so an unchanged poll costs two small
queries, and a changed one sends only what is new since N where it can (statements per table:
the new statements, appended by htmx; presenter.py), else the results view. A poll that brought
news asks again 250 ms after it (`SOON_MS`), so while a hall answers, each poll brings what came
during the one before instead of waiting out the 1.5 s.

Why not server-sent events or Channels: both keep a connection per viewer open in one process,
need a broker (Redis pub/sub) so that a change made on one app server reaches viewers held by
another, and change the deploy (an ASGI server beside gunicorn). Polling works behind any number
of sync gunicorn workers with no state in a process, through every proxy, and stays within the
two seconds the issue allows. The participants' phones poll a similar endpoint more slowly (3 s)
for the stage only (which activity is open, its round and the timer's phase), never the answers.
That stage is kept in the shared cache for at most a second and forgotten by every change that moves
it (`models.live.phone_stage`), so 300 waiting phones, 100 polls a second, read no table.

Beside the live part:
- group tasks (`groupwork.py`, templates of seed 000 in `task_templates.py`): each group writes
  through its own link, without an account, during or after the gathering;
- the municipality's plan (`planning.py`, `models/plans.py`): one per owner and period, written by
  the owner's people (owner-contact memberships, `rules.py`), read by the county's organisers;
- results as Excel (`export.py`) and PDF (`pdf.py`); a Norwegian profanity filter (`profanity.py`);
- invitations (`audience.py`) and the published gatherings in the annual cycle and the calendar
  feeds (`cycle.py`, registered in schemes' `calendar_sources`);
- «into the needs analysis» (`analysis.py`, `panels.py`): picked responses and group answers on
  the network's page and the round's page.

Not here yet: a measure in a needs report naming the plan's development areas it serves belongs in
needs (which comes after this app's neighbours and may not import it; the link is a PlanArea id
the needs app would hold), and the network's compilation (issue 11) will read `analysis.picked_*`.
"""
