from django.urls import path

from . import views

app_name = "schemes"
urlpatterns = [
    path("<slug:office>/<int:year>/", views.round_detail, name="round"),
]
