from __future__ import annotations

from django.urls import path  # noqa: F401

from .views import compilation as compilation_views

app_name = "allocation"

# Each part of the app keeps its own list; the order is the year's.
urlpatterns: list = []

# The network's compilation (sammenstilt behovsmelding), and the round's list of them.
COMPILATION = "nettverk/<slug:office>/<slug:network>/<int:year>/sammenstilling/"
urlpatterns += [
    path(COMPILATION, compilation_views.compilation_page, name="compilation"),
    path(COMPILATION + "tiltak/<int:entry>/flytt/<slug:direction>/", compilation_views.move, name="compilation_move"),
    path(COMPILATION + "tiltak/<int:entry>/plasser/", compilation_views.place, name="compilation_place"),
    path(COMPILATION + "tiltak/<int:entry>/anbefaling/", compilation_views.mark, name="compilation_mark"),
    path(COMPILATION + "kommentar/", compilation_views.comment, name="compilation_comment"),
    path(COMPILATION + "lever/", compilation_views.deliver, name="compilation_deliver"),
    path(COMPILATION + "gjenapne/", compilation_views.reopen, name="compilation_reopen"),
    path(COMPILATION + "versjoner/", compilation_views.versions, name="compilation_versions"),
    path(COMPILATION + "versjoner/<int:number>/pdf/", compilation_views.version_pdf, name="compilation_pdf"),
    path(
        COMPILATION + "versjoner/<int:number>/sammenstilling.xlsx",
        compilation_views.version_xlsx,
        name="compilation_xlsx",
    ),
    path(
        "runder/<slug:office>/<int:year>/sammenstillinger/",
        compilation_views.round_compilations,
        name="round_compilations",
    ),
]

# The forum's assessment (vurdering) and the declarations of ties (habilitet).
from .views.assessment import declarations as declaration_views  # noqa: E402
from .views.assessment import form as assessment_views  # noqa: E402
from .views.assessment import worklist as worklist_views  # noqa: E402

ASSESSMENT = "runder/<slug:office>/<int:year>/vurdering/"
DECLARATION = "runder/<slug:office>/<int:year>/habilitet/"
urlpatterns += [
    path("vurdering/", worklist_views.my_assessment, name="my_assessment"),
    path(ASSESSMENT, worklist_views.worklist, name="assessments"),
    path(ASSESSMENT + "oppsett/", worklist_views.set_up, name="assessment_setup"),
    path(ASSESSMENT + "tiltak/<int:pk>/", assessment_views.assess, name="assess"),
    path(ASSESSMENT + "tiltak/<int:pk>/lagre/", assessment_views.save, name="assess_save"),
    path(ASSESSMENT + "tiltak/<int:pk>/del/", assessment_views.share, name="assess_share"),
    path(DECLARATION, declaration_views.declaration, name="declaration"),
    path(DECLARATION + "erklaeringer/", declaration_views.declarations, name="declarations"),
    path(DECLARATION + "erklaeringer.csv", declaration_views.declarations_csv, name="declarations_csv"),
]

# The assessment overview (every measure with its assessments side by side) and the overlap finder.
from .views import overlap as overlap_views  # noqa: E402
from .views import overview as overview_views  # noqa: E402

OVERVIEW = "runder/<slug:office>/<int:year>/vurdering/oversikt/"
urlpatterns += [
    path(OVERVIEW, overview_views.overview, name="assessment_overview"),
    path(OVERVIEW + "vurderinger.xlsx", overview_views.overview_xlsx, name="assessment_overview_xlsx"),
    path(OVERVIEW + "tiltak/<int:pk>/", overview_views.overview_measure, name="assessment_overview_measure"),
    path("runder/<slug:office>/<int:year>/vurdering/overlapp/", overlap_views.overlap, name="overlap"),
]

# The recommendation's steps (preliminary, final) with their meetings, its versions, their PDF and its events.
from .views.recommendation import steps as recommendation_step_views  # noqa: E402

RECOMMENDATION_STEPS = "runder/<slug:office>/<int:year>/innstilling/"
urlpatterns += [
    path(RECOMMENDATION_STEPS + "steg/<slug:to>/", recommendation_step_views.step, name="recommendation_step"),
    path(RECOMMENDATION_STEPS + "versjoner/", recommendation_step_views.versions, name="recommendation_versions"),
    path(
        RECOMMENDATION_STEPS + "versjoner/<int:number>/",
        recommendation_step_views.version,
        name="recommendation_version",
    ),
    path(
        RECOMMENDATION_STEPS + "versjoner/<int:number>/innstilling.pdf",
        recommendation_step_views.version_pdf,
        name="recommendation_pdf",
    ),
    path(
        RECOMMENDATION_STEPS + "sammenlign/",
        recommendation_step_views.compare,
        name="recommendation_compare_versions",
    ),
    path(RECOMMENDATION_STEPS + "hendelser/", recommendation_step_views.events, name="recommendation_events"),
]

# The forum's recommendation workspace (innstilling): the page for the meeting, a line's amounts, the totals.
from .views.recommendation import workspace as recommendation_views  # noqa: E402

RECOMMENDATION = "runder/<slug:office>/<int:year>/innstilling/"
urlpatterns += [
    path(RECOMMENDATION, recommendation_views.workspace, name="recommendation"),
    path(RECOMMENDATION + "hva-om/<int:what_if>/", recommendation_views.workspace, name="recommendation_what_if"),
    path(RECOMMENDATION + "linje/<int:line>/", recommendation_views.line, name="recommendation_line"),
    path(RECOMMENDATION + "linje/<int:line>/<slug:preset>/", recommendation_views.preset, name="recommendation_preset"),
    path(RECOMMENDATION + "summer/", recommendation_views.totals, name="recommendation_totals"),
    path(RECOMMENDATION + "hva-om/<int:what_if>/summer/", recommendation_views.totals, name="recommendation_totals"),
]

# The recommendation's what-ifs (named copies compared, adopted or discarded) and the fill by priority (forslag ★).
from .views.recommendation import whatif as what_if_views  # noqa: E402

WHAT_IF = "runder/<slug:office>/<int:year>/innstilling/hva-om/"
urlpatterns += [
    path(WHAT_IF, what_if_views.what_ifs, name="what_ifs"),
    path(WHAT_IF + "<int:what_if>/sammenlign/", what_if_views.what_if_compare, name="what_if_compare"),
    path(WHAT_IF + "<int:what_if>/vedta/", what_if_views.what_if_adopt, name="what_if_adopt"),
    path(WHAT_IF + "<int:what_if>/forkast/", what_if_views.what_if_discard, name="what_if_discard"),
    path(
        "runder/<slug:office>/<int:year>/innstilling/forslag/",
        what_if_views.recommendation_suggest,
        name="recommendation_suggest",
    ),
    path(WHAT_IF + "<int:what_if>/forslag/", what_if_views.recommendation_suggest, name="recommendation_suggest"),
]

# Payments (utbetalinger) with their reconciliation and exports, and the pool's and the extra allocation's decisions.
from .views import payment as payment_views  # noqa: E402

PAYMENTS = "runder/<slug:office>/<int:year>/utbetalinger/"
DECISIONS_BESIDE = "runder/<slug:office>/<int:year>/vedtak/"
urlpatterns += [
    path(PAYMENTS, payment_views.payments, name="payments"),
    path(PAYMENTS + "utbetalinger.xlsx", payment_views.payments_xlsx, name="payments_xlsx"),
    path(PAYMENTS + "utbetalinger.csv", payment_views.payments_csv_view, name="payments_csv"),
    path(PAYMENTS + "<int:pk>/status/", payment_views.payment_status, name="payment_status"),
    path(PAYMENTS + "alle-betalt/", payment_views.payments_all_paid, name="payments_all_paid"),
    path(DECISIONS_BESIDE + "pool/", payment_views.pool_decision, name="pool_decision"),
    path(DECISIONS_BESIDE + "tilleggstildeling/", payment_views.extra_decision, name="extra_decision"),
    path(DECISIONS_BESIDE + "rammelinje/", payment_views.frame_line, name="frame_line"),
]

# The round's decisions (vedtak): the summary and «make the decisions», the list and one decision.
from .views import decision as decision_views  # noqa: E402

DECISIONS = "runder/<slug:office>/<int:year>/vedtak/"
urlpatterns += [
    path(DECISIONS, decision_views.decisions, name="decisions"),
    path(DECISIONS + "fatt/", decision_views.decide, name="decide"),
    path(DECISIONS + "<int:pk>/", decision_views.decision, name="decision"),
    path(DECISIONS + "<int:pk>/vedtaksbrev.pdf", decision_views.decision_letter, name="decision_letter"),
    path("mine-vedtak/", decision_views.my_decisions, name="my_decisions"),
]
