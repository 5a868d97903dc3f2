from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("meg/", views.me, name="me"),
    path("mine-nettverk/", views.my_networks, name="my_networks"),
    path("invitasjoner/", views.invitation_list, name="invitations"),
    path("invitasjoner/ny/", views.invite, name="invite"),
    path("invitasjon/<str:token>/", views.accept, name="accept"),
    path("revisjon/", views.audit_log, name="audit"),
    path("revisjon/csv/", views.audit_csv, name="audit_csv"),
    path("embete/<slug:office>/", views.people, name="people"),
    path("embete/<slug:office>/roller/ny/", views.add_role, name="add_role"),
    path("embete/<slug:office>/roller/<int:membership>/fjern/", views.remove_role, name="remove_role"),
]
