from __future__ import annotations

from .urlconf import archive, followup, funds, opendata, statistics

app_name = "reporting"

# Each part of the app keeps its own list (urlconf/<part>.py); the order is the year's.
urlpatterns = [
    *funds.urlpatterns,
    *followup.urlpatterns,
    *statistics.urlpatterns,
    *opendata.urlpatterns,
    *archive.urlpatterns,
]
