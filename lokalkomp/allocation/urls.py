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
