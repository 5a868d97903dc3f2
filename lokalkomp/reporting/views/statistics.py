"""The statistics pages (public) and the history import (the office's Statsforvalter)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lokalkomp.directory.models import Network

from ..access.statistics import get_history_office_for, get_network, get_office
from ..models.history import HistoryImport
from ..statistics import history_import
from ..statistics.charts import bar_chart, paired_bar_chart
from ..statistics.queries import network_years, office_figures, reported_use
from ..statistics.rows import chart_rows, largest

SESSION_KEY = "reporting:history-preview"


@require_GET
def office_statistics(request: HttpRequest, office: str) -> HttpResponse:
    found = get_office(office)
    figures = office_figures(found)
    charts = [
        _chart("years", _("Granted per year"), figures.years()),
        _chart("schemes", _("Granted per scheme"), figures.schemes()),
        _chart("networks", _("Granted per network"), figures.networks()),
        _chart("split", _("Owners and universities or colleges"), figures.split_items()),
        _chart("owners", _("Granted per owner"), figures.owners()),
        _chart("partners", _("Granted per university or college"), figures.partners()),
        _chart("purposes", _("Measures by purpose"), [(label, amount) for label, _n, amount in figures.purposes]),
    ]
    reported = reported_use(found)
    pairs = [
        _pair(
            "used",
            _("Reported use beside granted"),
            (_("Granted"), _("Used")),
            [(r.scheme, r.granted, r.used) for r in reported],
        ),
        _pair(
            "cofinancing",
            _("Co-financing declared beside required"),
            (_("Required"), _("Declared")),
            [(r.scheme, r.required, r.declared) for r in reported],
        ),
    ]
    networks = list(Network.objects.filter(office=found).order_by("name").values_list("name", "slug"))
    return render(
        request,
        "reporting/statistics.html",
        {
            "office": found,
            "figures": figures,
            "charts": charts,
            "pairs": pairs,
            "networks": networks,
            "reported": reported,
        },
    )


def _chart(key: str, title: str, items: list[tuple[str, int]]) -> dict[str, Any]:
    return {
        "key": key,
        "title": title,
        "items": items,
        "rows": chart_rows(items),
        "svg": bar_chart(chart_id=f"chart-{key}", title=title, items=largest(items)),
    }


def _pair(key: str, title: str, names: tuple[str, str], items: list[tuple[str, int, int]]) -> dict[str, Any]:
    """A chart of two bars per scheme (a handful of schemes: never cut to the largest), with its table."""
    return {
        "key": key,
        "title": title,
        "names": names,
        "items": items,
        "svg": paired_bar_chart(chart_id=f"chart-{key}", title=title, names=names, items=items),
    }


@require_GET
def network_statistics(request: HttpRequest, office: str, network: str) -> HttpResponse:
    found = get_network(get_office(office), network)
    years = network_years(found)
    chart = _chart("network-years", _("Granted per year"), [(str(y.year), y.total) for y in years])
    return render(
        request,
        "reporting/statistics_network.html",
        {
            "network": found,
            "office": found.office,
            "years": years,
            "total": sum(y.total for y in years),
            "chart": chart,
            "last_year": years[-1].year if years else None,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def history_upload(request: HttpRequest, office: str) -> HttpResponse:
    found = get_history_office_for(request.user, office)
    networks = list(Network.objects.filter(office=found).order_by("name"))
    context: dict[str, Any] = {"office": found, "networks": networks, "imports": _imports(found)}
    if request.method == "POST":
        network = next((n for n in networks if str(n.pk) == request.POST.get("network", "")), None)
        upload = request.FILES.get("file")
        context["chosen"] = network.pk if network else None
        if network is None or upload is None:
            context["form_error"] = _("Choose the network and the file.")
            return render(request, "reporting/statistics_history.html", context, status=400)
        try:
            cells = history_import.read_cells(upload, upload.name or "")
        except history_import.HistoryFileError as error:
            context["form_error"] = str(error)
            return render(request, "reporting/statistics_history.html", context, status=400)
        parsed = history_import.parse(cells, network=network)
        request.session[SESSION_KEY] = {"network": network.pk, "file_name": upload.name, "cells": cells}
        context |= {"parsed": parsed, "network": network, "file_name": upload.name}
    return render(request, "reporting/statistics_history.html", context)


def _imports(office: Any) -> list[HistoryImport]:
    return list(HistoryImport.objects.filter(office=office).select_related("network", "imported_by")[:50])


@require_POST
@login_required
def history_save(request: HttpRequest, office: str) -> HttpResponse:
    found = get_history_office_for(request.user, office)
    back = reverse("reporting:statistics_history", kwargs={"office": found.slug})
    staged = request.session.get(SESSION_KEY)
    network = Network.objects.filter(office=found, pk=(staged or {}).get("network", 0)).first()
    if not staged or network is None:
        messages.error(request, _("There is no checked file to save. Choose the file again."))
        return redirect(back)
    try:
        event = history_import.save(
            cells=staged["cells"], network=network, file_name=staged["file_name"], by=request.user
        )
    except history_import.HistoryNotAccepted:
        messages.error(request, _("Nothing was saved: the file has errors now. Check it again."))
        return redirect(back)
    del request.session[SESSION_KEY]
    messages.success(request, _("Saved %(rows)s rows from %(file)s.") % {"rows": event.rows, "file": event.file_name})
    return redirect(back)
