from django.urls import path

from .views import accounts, coediting, links, measures, reports, submission, uploads, writing
from .views.network import cross_scheme, overview
from .views.worklist import worklist, worklist_xlsx

app_name = "needs"
urlpatterns = [
    path("", writing.my_reports, name="mine"),
    path("importer/", uploads.import_upload, name="import"),
    path("tiltak.xlsx", reports.measures_xlsx, name="measures_xlsx"),
    path("arbeidsliste/<slug:office>/<int:year>/", worklist, name="worklist"),
    path("arbeidsliste/<slug:office>/<int:year>/arbeidsliste.xlsx", worklist_xlsx, name="worklist_xlsx"),
    path("start/<int:partnership>/<int:round>/", writing.start, name="start"),
    path("<int:pk>/", reports.report_detail, name="report"),
    path("<int:pk>/pdf/", reports.report_pdf, name="pdf"),
    path("<int:pk>/tiltak.xlsx", reports.report_xlsx, name="report_xlsx"),
    path("<int:pk>/versjoner/", reports.report_versions, name="versions"),
    path("<int:pk>/lagre/", writing.save, name="save"),
    path("<int:pk>/skjema/ordninger/", writing.set_schemes, name="set_schemes"),
    path("<int:pk>/skjema/<slug:section>/", writing.edit_section, name="edit_section"),
    path("<int:pk>/skjema/<slug:section>/lagre/", writing.save_section, name="save_section"),
    path("<int:pk>/skjema/rader/<slug:kind>/ny/", writing.add_row, name="add_row"),
    path("<int:pk>/skjema/rader/<slug:kind>/<int:row>/fjern/", writing.remove_row, name="remove_row"),
    path("<int:pk>/tiltak/ny/", measures.add_measure, name="add_measure"),
    path("<int:pk>/skjema-tilstede/", coediting.presence, name="presence"),
    path("<int:pk>/tiltak/kopier/", measures.copy_measure, name="copy_measure"),
    path("<int:pk>/tiltak/<int:measure>/", measures.measure, name="measure"),
    path("<int:pk>/tiltak/<int:measure>/lagre/", measures.save_measure, name="save_measure"),
    path("<int:pk>/tiltak/<int:measure>/mal/", links.save_measure_goals, name="save_measure_goals"),
    path("<int:pk>/tiltak/<int:measure>/fjern/", measures.delete_measure, name="delete_measure"),
    path("<int:pk>/tiltak/<int:measure>/flytt/<slug:direction>/", measures.move_measure, name="move_measure"),
    path("<int:pk>/forhandsvis/", submission.preview, name="preview"),
    path("<int:pk>/send-inn/", submission.submit, name="submit"),
    path("<int:pk>/kvittering/", submission.receipt, name="receipt"),
    path("<int:pk>/gjenapne/", writing.reopen, name="reopen"),
    path("<int:pk>/kontonummer/<int:participant>/", accounts.change_account, name="change_account"),
    path("nettverk/<slug:office>/<slug:network>/<int:year>/", overview, name="network_overview"),
    path("<int:pk>/ordninger/", cross_scheme, name="cross_scheme"),
]
