"""Two doors: /delta/ for the participants (no account), /samlinger/ for the organisers."""

from django.urls import path

from . import activities, analysis, export, groupwork, measure_areas, participate, pdf, planning, presenter, views

app_name = "gatherings"

A = "samlinger/<int:pk>/aktiviteter/<int:activity>/"
T = "samlinger/<int:pk>/oppgaver/<int:task>/"
P = "kommuneplaner/<int:pk>/"
urlpatterns = [
    # Participants
    path("delta/", participate.join, name="join_form"),
    path("delta/<str:code>/", participate.phone, name="phone"),
    path("delta/<str:code>/live/", participate.phone_live, name="phone_live"),
    path("delta/<str:code>/bord/", participate.set_table, name="set_table"),
    path("delta/<str:code>/svar/<int:activity>/", participate.answer, name="answer"),
    # Organisers
    path("samlinger/", views.gathering_list, name="list"),
    path("samlinger/ny/", views.gathering_new, name="new"),
    path("samlinger/<int:pk>/", views.gathering_detail, name="detail"),
    path("samlinger/<int:pk>/endre/", views.gathering_edit, name="edit"),
    path("samlinger/<int:pk>/publiser/", views.gathering_publish, name="publish"),
    path("samlinger/<int:pk>/avpubliser/", views.gathering_unpublish, name="unpublish"),
    path("samlinger/<int:pk>/program/ny/", views.agenda_add, name="agenda_add"),
    path("samlinger/<int:pk>/program/<int:item>/slett/", views.agenda_delete, name="agenda_delete"),
    path("samlinger/<int:pk>/aktiviteter/ny/", activities.activity_new, name="activity_new"),
    path(A + "endre/", activities.activity_edit, name="activity_edit"),
    path(A + "apne/", activities.activity_open, name="activity_open"),
    path(A + "lukk/", activities.activity_close, name="activity_close"),
    path(A + "runde-2/", activities.activity_round_two, name="activity_round_two"),
    path(A + "start-tid/", activities.activity_start_timer, name="activity_start_timer"),
    path(A + "neste-fase/", activities.activity_next_phase, name="activity_next_phase"),
    path(A + "nullstill/", activities.activity_reset, name="activity_reset"),
    path(A + "moderer/", activities.moderation, name="moderation"),
    path("samlinger/<int:pk>/svar/<int:response>/skjul/", activities.response_hide, name="response_hide"),
    path("samlinger/<int:pk>/svar/<int:response>/godkjenn/", activities.response_approve, name="response_approve"),
    path("samlinger/<int:pk>/resultater.xlsx", export.results_xlsx, name="results_xlsx"),
    path("samlinger/<int:pk>/resultater.pdf", pdf.results_pdf, name="results_pdf"),
    # Into the needs analysis
    path("samlinger/<int:pk>/behovsanalyse/", analysis.pick_page, name="pick"),
    path("samlinger/<int:pk>/svar/<int:response>/velg/", analysis.response_pick, name="response_pick"),
    path("samlinger/<int:pk>/svar/<int:response>/fjern-valg/", analysis.response_unpick, name="response_unpick"),
    path("samlinger/<int:pk>/gruppesvar/<int:answer>/velg/", analysis.answer_pick, name="answer_pick"),
    path("samlinger/<int:pk>/gruppesvar/<int:answer>/fjern-valg/", analysis.answer_unpick, name="answer_unpick"),
    # Group tasks, and the group's own page (no account: the link is the key)
    path("samlinger/<int:pk>/oppgaver/ny/", groupwork.task_new, name="task_new"),
    path(T, groupwork.task_detail, name="task"),
    path(T + "grupper/ny/", groupwork.group_add, name="group_add"),
    path(T + "lukk/", groupwork.task_close, name="task_close"),
    path(T + "apne/", groupwork.task_open, name="task_open"),
    path("gruppe/<str:token>/", groupwork.group_page, name="group"),
    # The municipality's plan
    path("kommuneplaner/", planning.plan_list, name="plans"),
    path("kommuneplaner/ny/", planning.plan_new, name="plan_new"),
    path(P, planning.plan_detail, name="plan"),
    path(P + "endre/", planning.plan_edit, name="plan_edit"),
    path(P + "omrader/ny/", planning.area_add, name="area_add"),
    path(P + "omrader/<int:area>/slett/", planning.area_delete, name="area_delete"),
    path(P + "fra-gruppe/<int:group>/", planning.plan_from_group, name="plan_from_group"),
    # …and in a needs report: the development areas a measure serves (needs' rules: its writers, a draft)
    path(
        "behovsmeldinger/<int:pk>/tiltak/<int:measure>/utviklingsomrader/",
        measure_areas.measure_areas,
        name="measure_areas",
    ),
    # The projector
    path("samlinger/<int:pk>/presenter/", presenter.presenter, name="presenter"),
    path("samlinger/<int:pk>/presenter/<int:activity>/live/", presenter.presenter_live, name="presenter_live"),
]
