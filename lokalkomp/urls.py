from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import views

admin.site.site_header = _("lokalkomp administration")
admin.site.site_title = _("lokalkomp")

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("health/", views.health, name="health"),
    path("", views.home, name="home"),
    path("konto/", include("allauth.urls")),
    path("personer/", include("lokalkomp.accounts.urls")),
    path("runder/", include("lokalkomp.schemes.urls")),
    path("nettverk/", include("lokalkomp.directory.urls")),
    path("behovsmeldinger/", include("lokalkomp.needs.urls")),
    path("admin/", admin.site.urls),
]
