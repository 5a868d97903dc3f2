from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import public, views
from .accounts import views as account_views

# The admin signs in through allauth's login, so two-factor authentication applies there too.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
admin.site.site_header = _("lokalkomp administration")
admin.site.site_title = _("lokalkomp")

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("health/", views.health, name="health"),
    path("", views.home, name="home"),
    path("tilgjengelighet/", public.accessibility, name="accessibility"),
    path("personvern/", public.privacy, name="privacy"),
    path("konto/email/", account_views.email, name="account_email"),  # before allauth's own
    path("konto/", include("allauth.urls")),
    path("personer/", include("lokalkomp.accounts.urls")),
    path("runder/", include("lokalkomp.schemes.urls")),
    path("nettverk/", include("lokalkomp.directory.urls")),
    path("embeter/", include("lokalkomp.directory.seat_urls")),  # an office's forum seats
    path("behovsmeldinger/", include("lokalkomp.needs.urls")),
    path("varsler/", include("lokalkomp.notifications.urls")),  # the work list's reminder to a partnership
    path("", include("lokalkomp.allocation.urls")),
    path("", include("lokalkomp.reporting.urls")),
    path("", include("lokalkomp.gatherings.urls")),  # /delta/ (participants) and /samlinger/
    path("admin/", admin.site.urls),
]

# Production error pages (lokalkomp/views.py; 403 and 404 use Django's views with our templates).
handler400 = "lokalkomp.views.bad_request"
handler500 = "lokalkomp.views.server_error"
