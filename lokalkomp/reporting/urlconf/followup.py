from __future__ import annotations

from django.urls import URLPattern, path

from ..views import claims, followup

FOLLOWUP = "rapportering/<slug:office>/<int:year>/oppfolging/"

urlpatterns: list[URLPattern] = [
    path(FOLLOWUP, followup.followup_list_view, name="followup_list"),
    path(f"{FOLLOWUP}<int:pk>/", followup.followup_report_view, name="followup_report"),
    path(f"{FOLLOWUP}<int:pk>/godta/", followup.followup_accept, name="followup_accept"),
    path(f"{FOLLOWUP}<int:pk>/be-om-mer/", followup.followup_return, name="followup_return"),
    path(f"{FOLLOWUP}<int:pk>/krav/", followup.followup_claim, name="followup_claim"),
    path(f"{FOLLOWUP}krav/<int:pk>/brev.pdf", followup.followup_claim_letter, name="followup_claim_letter"),
    path(f"{FOLLOWUP}krav/<int:pk>/", claims.followup_claim_detail, name="followup_claim_detail"),
    path(f"{FOLLOWUP}krav/<int:pk>/tilbakebetalt/", claims.followup_claim_repaid, name="followup_claim_repaid"),
    path(f"{FOLLOWUP}krav/<int:pk>/trekk-tilbake/", claims.followup_claim_withdraw, name="followup_claim_withdraw"),
]
