from django.urls import path

from . import coediting, edit, submission, uploads, views

app_name = "needs"
urlpatterns = [
    path("", edit.my_reports, name="mine"),
    path("importer/", uploads.import_upload, name="import"),
    path("tiltak.xlsx", views.measures_xlsx, name="measures_xlsx"),
    path("start/<int:partnership>/<int:round>/", edit.start, name="start"),
    path("<int:pk>/", views.report_detail, name="report"),
    path("<int:pk>/pdf/", views.report_pdf, name="pdf"),
    path("<int:pk>/tiltak.xlsx", views.report_xlsx, name="report_xlsx"),
    path("<int:pk>/versjoner/", views.report_versions, name="versions"),
    path("<int:pk>/lagre/", edit.save, name="save"),
    path("<int:pk>/skjema/ordninger/", edit.set_schemes, name="set_schemes"),
    path("<int:pk>/skjema/<slug:section>/", edit.edit_section, name="edit_section"),
    path("<int:pk>/skjema/<slug:section>/lagre/", edit.save_section, name="save_section"),
    path("<int:pk>/skjema/rader/<slug:kind>/ny/", edit.add_row, name="add_row"),
    path("<int:pk>/skjema/rader/<slug:kind>/<int:row>/fjern/", edit.remove_row, name="remove_row"),
    path("<int:pk>/tiltak/ny/", edit.add_measure, name="add_measure"),
    path("<int:pk>/skjema-tilstede/", coediting.presence, name="presence"),
    path("<int:pk>/tiltak/kopier/", edit.copy_measure, name="copy_measure"),
    path("<int:pk>/tiltak/<int:measure>/", edit.measure, name="measure"),
    path("<int:pk>/tiltak/<int:measure>/lagre/", edit.save_measure, name="save_measure"),
    path("<int:pk>/tiltak/<int:measure>/fjern/", edit.delete_measure, name="delete_measure"),
    path("<int:pk>/tiltak/<int:measure>/flytt/<slug:direction>/", edit.move_measure, name="move_measure"),
    path("<int:pk>/forhandsvis/", submission.preview, name="preview"),
    path("<int:pk>/send-inn/", submission.submit, name="submit"),
    path("<int:pk>/kvittering/", submission.receipt, name="receipt"),
    path("<int:pk>/gjenapne/", edit.reopen, name="reopen"),
]
