from django.urls import path

from . import views

app_name = "needs"
urlpatterns = [
    path("<int:pk>/", views.report_detail, name="report"),
]
