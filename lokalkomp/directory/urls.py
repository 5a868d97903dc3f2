from django.urls import path

from . import views

app_name = "directory"
urlpatterns = [
    path("<slug:office>/<slug:slug>/", views.network_detail, name="network"),
]
