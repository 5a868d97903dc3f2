from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path(
        "paminnelse/<slug:office>/<int:year>/<int:partnership>/",
        views.remind_partnership,
        name="remind_partnership",
    ),
]
