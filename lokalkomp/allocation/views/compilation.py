"""The network's compilation: the coordinator's list (order, marks, comment, delivery), the Statsforvalter's
reopening, the delivered versions with what changed, their PDF and Excel, and the round's list of them.

Each action posts to its own URL. With htmx (`HX-Request`) an action answers with the list's partial
(`allocation/compilation.html#list`), a refusal with the same partial and its status (409 someone
else changed the list, 422 what was posted is wrong, 423 locked); without JavaScript, a redirect back
to the page, or the whole page with the message.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lokalkomp.directory.models import Network
from lokalkomp.needs.documents import PdfTimeout
from lokalkomp.schemes.models import Transition

from ..access.compilation import (
    get_compilation_for,
    get_entry_for,
    get_round_compilations_for,
    get_version_for,
)
from ..compilation_forms import CommentForm, MarkForm, PlaceForm, ReopenForm, VersionForm
from ..compilation_record import CompilationRecord, diff, live_record
from ..compilation_record.documents import compilation_pdf, compilation_xlsx_chunks, filename
from ..models import Compilation, CompilationEntry
from ..models.compilation import Conflict, Locked
from ..rules.compilation import can_edit_compilation, can_reopen_compilation, round_compilation_networks_q

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FRESH = ["status", "comment", "reopened", "version"]  # refresh_from_db() would drop the loaded round and network
NO_STORE = "private, no-store"  # budgets and the network's reasons: never kept by a browser or proxy


def _url(compilation: Compilation, name: str = "compilation", **more: Any) -> str:
    network = compilation.network
    return reverse(
        f"allocation:{name}",
        kwargs={"office": network.office.slug, "network": network.slug, "year": compilation.round.year, **more},
    )


def _context(request: HttpRequest, compilation: Compilation, drafts: bool, **extra: Any) -> dict[str, Any]:
    """What the page and its partials show. Brings the list up to date first (a fixed number of queries).

    `mark_errors` ({entry id: (message, typed reason, chosen)}) puts a refused mark back in its row.
    """
    mark_errors: dict[int, tuple[str, str, str]] = extra.pop("mark_errors", {})
    partial = extra.pop("partial", False)  # the list's partial after an action: no versions, events or sync
    listed = compilation.pk is not None and not (partial and compilation.status == Compilation.Status.DRAFT)
    versions = list(compilation.versions.select_related("delivered_by").defer("data")) if listed else []
    latest = max(versions, key=lambda v: v.number) if versions else None
    for v in versions:  # their documents' addresses, as the URL conf makes them
        v.pdf_url = _url(compilation, "compilation_pdf", number=v.number)  # type: ignore[attr-defined]
        v.xlsx_url = _url(compilation, "compilation_xlsx", number=v.number)  # type: ignore[attr-defined]
    entries: list[CompilationEntry] = []
    if drafts and compilation.pk:
        entries = compilation.ordered_entries()
        if not partial and compilation.out_of_date(entries):
            compilation.sync()
            entries = compilation.ordered_entries()
    draft = drafts and compilation.status == Compilation.Status.DRAFT and compilation.pk is not None
    shown: CompilationRecord | None = None
    if draft:
        shown = live_record(compilation, entries)
    elif latest is not None:
        shown = CompilationRecord.from_data(compilation.versions.values_list("data", flat=True).get(pk=latest.pk))
    editable = draft and compilation.is_editable() and bool(can_edit_compilation(request.user, compilation))
    not_delivered = []
    if drafts and not draft and shown is not None:
        delivered = {m.measure_id for s in shown.schemes for m in s.entries}
        not_delivered = [e for e in entries if e.is_included and e.measure_id not in delivered]
    urls = _urls(compilation)
    tables = [
        (
            scheme,
            [(m, _row(urls, m.entry_id, mark_errors) if editable and m.entry_id else None) for m in scheme.entries],
        )
        for scheme in (shown.schemes if shown else [])
    ]
    context = {
        "compilation": compilation,
        "network": compilation.network,
        "round": compilation.round,
        "tables": tables,
        "drafts": drafts,
        "draft": draft,
        "record": shown,
        "versions": versions,
        "latest": latest,
        "editable": editable,
        "why_locked": compilation.why_locked() if compilation.pk else "",
        "deadline": compilation.round.deadline(Transition.NETWORK_COMPILATION),
        "may_reopen": compilation.pk is not None
        and bool(can_reopen_compilation(request.user, compilation))
        and compilation.may_be_reopened(),
        "not_delivered": not_delivered,
        "events": compilation.events.select_related("actor") if drafts and compilation.pk else [],  # lazy: the page
        "comment_form": None,
        "reopen_form": ReopenForm(),
        "urls": urls,
        "message": "",
        "announce": "",
        "focus": "",
    }
    context.update(extra)
    return context


def _urls(compilation: Compilation) -> dict[str, str]:
    """The page's own addresses, and a pattern for each row's («{entry}»): one reverse() each, not per row."""
    marker = 987654321
    rows = {
        name: _url(compilation, f"compilation_{name}", entry=marker, **({"direction": "opp"} if name == "move" else {}))
        for name in ("move", "place", "mark")
    }
    return {
        "page": _url(compilation),
        "comment": _url(compilation, "compilation_comment"),
        "deliver": _url(compilation, "compilation_deliver"),
        "reopen": _url(compilation, "compilation_reopen"),
        "versions": _url(compilation, "compilation_versions"),
        "move_up": rows["move"].replace(str(marker), "{entry}"),
        "move_down": rows["move"].replace(str(marker), "{entry}").replace("/opp/", "/ned/"),
        "place": rows["place"].replace(str(marker), "{entry}"),
        "mark": rows["mark"].replace(str(marker), "{entry}"),
    }


def _row(urls: dict[str, str], entry: int, mark_errors: dict[int, tuple[str, str, str]]) -> dict[str, str]:
    """A row's addresses, and a refused mark's message, typed reason and choice."""
    row = {name: urls[name].replace("{entry}", str(entry)) for name in ("move_up", "move_down", "place", "mark")}
    if entry in mark_errors:
        row["error"], row["typed"], row["chosen"] = mark_errors[entry]
    return row


def _page(
    request: HttpRequest, compilation: Compilation, drafts: bool, status: int = 200, **extra: Any
) -> HttpResponse:
    response = render(
        request, "allocation/compilation.html", _context(request, compilation, drafts, **extra), status=status
    )
    response["Cache-Control"] = NO_STORE
    return response


def _answer(
    request: HttpRequest,
    compilation: Compilation,
    *,
    status: int = 200,
    message: str = "",
    announce: str = "",
    focus: str = "",
    anchor: str = "",
    **extra: Any,
) -> HttpResponse:
    """After an action on the list: its partial (htmx), a redirect (done) or the whole page (refused).

    A refusal reads the compilation again (someone else changed it); a change knows its own state.
    """
    if status != 200:
        compilation.refresh_from_db(fields=FRESH)
    if request.headers.get("HX-Request"):
        context = _context(
            request, compilation, True, partial=True, message=message, announce=announce, focus=focus, **extra
        )
        response = render(request, "allocation/compilation.html#list", context, status=status)
        response["Cache-Control"] = NO_STORE
        return response
    if status == 200:
        if announce:
            messages.success(request, announce)
        return redirect(_url(compilation) + (f"#{anchor}" if anchor else ""))
    return _page(request, compilation, True, status=status, message=message, **extra)


def _first_error(form: Any) -> str:
    errors = form.errors.get("version") and [_("The page is out of date. Here is the list as it is now.")]
    return (errors or [str(e) for field in form.errors.values() for e in field] or [""])[0]


@require_GET
@login_required
def compilation_page(request: HttpRequest, office: str, network: str, year: int) -> HttpResponse:
    """The network's compilation: the draft list for its coordinators and the Statsforvalter, the delivered
    version for the forum, the readers and the partnerships' contacts."""
    compilation, drafts = get_compilation_for(request.user, office, network, year)
    return _page(request, compilation, drafts)


@require_POST
@login_required
def move(request: HttpRequest, office: str, network: str, year: int, entry: int, direction: str) -> HttpResponse:
    """«Flytt opp» / «Flytt ned»: one place in the measure's scheme, from the keyboard or the mouse."""
    if direction not in ("opp", "ned"):
        raise Http404
    compilation, _drafts = get_compilation_for(request.user, office, network, year, write=True)
    item = get_entry_for(compilation, entry)
    form = VersionForm(request.POST)
    if not form.is_valid():
        return _answer(request, compilation, status=422, message=_first_error(form))
    return _placed(request, compilation, item, form.cleaned_data["version"], up=direction == "opp")


@require_POST
@login_required
def place(request: HttpRequest, office: str, network: str, year: int, entry: int) -> HttpResponse:
    """Where a measure was dragged to (compilation.js posts its new place in its scheme)."""
    compilation, _drafts = get_compilation_for(request.user, office, network, year, write=True)
    item = get_entry_for(compilation, entry)
    form = PlaceForm(request.POST)
    if not form.is_valid():
        return _answer(request, compilation, status=422, message=_first_error(form))
    return _placed(request, compilation, item, form.cleaned_data["version"], to=form.cleaned_data["place"])


def _placed(
    request: HttpRequest,
    compilation: Compilation,
    item: CompilationEntry,
    version: int,
    *,
    up: bool | None = None,
    to: int = 0,
) -> HttpResponse:
    try:
        if up is None:
            new, size = compilation.place(item, to, expected_version=version, by=request.user)
        else:
            new, size = compilation.move(item, up=up, expected_version=version, by=request.user)
    except Locked as error:
        return _answer(request, compilation, status=423, message=str(error))
    except Conflict as error:
        return _answer(request, compilation, status=409, message=str(error), focus=f"entry-{item.pk}")
    announce = _("“%(name)s” is now number %(n)s of %(total)s in %(scheme)s.") % {
        "name": item.measure.name,
        "n": new,
        "total": size,
        "scheme": item.measure.scheme.short_name,
    }
    focus = f"move-{item.pk}-{'up' if up else 'down'}" if up is not None else f"entry-{item.pk}"
    return _answer(request, compilation, announce=announce, focus=focus, anchor=f"entry-{item.pk}")


@require_POST
@login_required
def mark(request: HttpRequest, office: str, network: str, year: int, entry: int) -> HttpResponse:
    """Recommend a measure, or mark it as not recommended by the network, with the reason."""
    compilation, _drafts = get_compilation_for(request.user, office, network, year, write=True)
    item = get_entry_for(compilation, entry)
    form = MarkForm(request.POST)
    typed = (request.POST.get("reason") or "").replace("\x00", "")[:5000]
    chosen = "yes" if request.POST.get("recommended") == "yes" else "no"
    if not form.is_valid():
        return _answer(
            request,
            compilation,
            status=422,
            message=_first_error(form),
            mark_errors={item.pk: (_first_error(form), typed, chosen)},
            focus=f"reason-{item.pk}",
        )
    recommended = form.cleaned_data["recommended"] == "yes"
    try:
        compilation.mark(
            item,
            recommended=recommended,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
            by=request.user,
        )
    except Locked as error:
        return _answer(request, compilation, status=423, message=str(error))
    except Conflict as error:
        return _answer(
            request, compilation, status=409, message=str(error), mark_errors={item.pk: (str(error), typed, chosen)}
        )
    except ValidationError as error:  # the model's own check of the reason
        message = " ".join(error.messages)
        return _answer(
            request, compilation, status=422, message=message, mark_errors={item.pk: (message, typed, chosen)}
        )
    if recommended:
        announce = _("“%(name)s” is recommended.") % {"name": item.measure.name}
    else:
        announce = _("“%(name)s” is marked as not recommended.") % {"name": item.measure.name}
    return _answer(request, compilation, announce=announce, focus=f"mark-{item.pk}", anchor=f"entry-{item.pk}")


@require_POST
@login_required
def comment(request: HttpRequest, office: str, network: str, year: int) -> HttpResponse:
    """The network's comment, compared with the text the person started from (their base)."""
    compilation, _drafts = get_compilation_for(request.user, office, network, year, write=True)
    form = CommentForm(request.POST)
    status, message, theirs = 200, "", None
    if not form.is_valid():
        status, message = 422, _first_error(form)
    else:
        try:
            compilation.set_comment(form.cleaned_data["comment"], base=form.cleaned_data["base"], by=request.user)
            message = _("The comment was saved.")
        except Locked as error:
            status, message = 423, str(error)
        except Conflict as error:
            status, message, theirs = 409, str(error), error.theirs
        except ValidationError as error:
            status, message = 422, " ".join(error.messages)
    typed = (request.POST.get("comment") or "").replace("\x00", "")
    state = {"typed": typed if status != 200 else None, "message": message, "theirs": theirs, "ok": status == 200}
    if request.headers.get("HX-Request"):
        compilation.refresh_from_db(fields=FRESH)
        context = _context(request, compilation, True, comment_form=state)
        response = render(request, "allocation/compilation.html#comment", context, status=status)
        response["Cache-Control"] = NO_STORE
        return response
    if status == 200:
        messages.success(request, message)
        return redirect(_url(compilation) + "#comment")
    compilation.refresh_from_db(fields=FRESH)
    return _page(request, compilation, True, status=status, comment_form=state, message=message)


@require_POST
@login_required
def deliver(request: HttpRequest, office: str, network: str, year: int) -> HttpResponse:
    """Deliver the list to the forum: a new version, and an e-mail to the forum's secretariat."""
    compilation, _drafts = get_compilation_for(request.user, office, network, year, write=True)
    form = VersionForm(request.POST)
    if not form.is_valid():
        return _page(request, compilation, True, status=422, message=_first_error(form))
    try:
        version = compilation.deliver(by=request.user, expected_version=form.cleaned_data["version"])
    except Locked as error:
        return _page(request, compilation, True, status=423, message=str(error))
    except Conflict as error:
        compilation.refresh_from_db(fields=FRESH)
        return _page(request, compilation, True, status=409, message=str(error))
    messages.success(
        request,
        _("The compilation was delivered to the forum as version %(n)s. The forum's secretariat has been told.")
        % {"n": version.number},
    )
    return redirect(_url(compilation))


@require_POST
@login_required
def reopen(request: HttpRequest, office: str, network: str, year: int) -> HttpResponse:
    """The Statsforvalter opens a delivered compilation (or a draft past its deadline) for changes again."""
    compilation, drafts = get_compilation_for(request.user, office, network, year, reopen=True)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        return _page(request, compilation, drafts, status=422, reopen_form=form)
    try:
        compilation.reopen(by=request.user, comment=form.cleaned_data["comment"])
    except Locked as error:
        return _page(request, compilation, drafts, status=409, message=str(error), reopen_form=form)
    except ValidationError as error:
        form.add_error("comment", " ".join(error.messages))
        return _page(request, compilation, drafts, status=422, reopen_form=form)
    messages.success(request, _("The compilation is open for changes again. The network can deliver a new version."))
    return redirect(_url(compilation))


@require_GET
@login_required
def versions(request: HttpRequest, office: str, network: str, year: int) -> HttpResponse:
    """What changed between two delivered versions (?a=1&b=2; by default the last two)."""
    compilation, _drafts = get_compilation_for(request.user, office, network, year)
    listed = list(compilation.versions.select_related("delivered_by").defer("data")) if compilation.pk else []
    numbers = [v.number for v in listed]
    b = _version_number(request.GET.get("b"), numbers, default=numbers[-1] if numbers else None)
    a = _version_number(request.GET.get("a"), numbers, default=max((n for n in numbers if n < (b or 0)), default=b))
    chosen = (
        {v.number: v for v in compilation.versions.select_related("delivered_by").filter(number__in={a, b} - {None})}
        if numbers
        else {}
    )
    changes = diff(chosen[a].data, chosen[b].data) if a is not None and b is not None else []
    context = {
        "compilation": compilation,
        "network": compilation.network,
        "round": compilation.round,
        "versions": listed,
        "changes": changes,
        "a": chosen.get(a) if a is not None else None,
        "b": chosen.get(b) if b is not None else None,
        "urls": {"page": _url(compilation), "versions": _url(compilation, "compilation_versions")},
    }
    response = render(request, "allocation/compilation_versions.html", context)
    response["Cache-Control"] = NO_STORE
    return response


def _version_number(value: str | None, numbers: list[int], *, default: int | None) -> int | None:
    """A version the compilation has, else 404; nothing given is the default."""
    if not value:
        return default
    if not re.fullmatch(r"[0-9]{1,9}", value, flags=re.ASCII) or int(value) not in numbers:
        raise Http404
    return int(value)


@require_GET
@login_required
def version_pdf(request: HttpRequest, office: str, network: str, year: int, number: int) -> HttpResponse:
    """A delivered version as PDF, in the reader's language."""
    version = get_version_for(request.user, office, network, year, number)
    try:
        content = compilation_pdf(version)
    except PdfTimeout:
        response = HttpResponse(_("The PDF could not be made in time. Try again in a minute."), status=503)
        response["Retry-After"] = "60"
        return response
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, filename(version, "pdf")) or ""
    response["Cache-Control"] = NO_STORE
    return response


@require_GET
@login_required
def version_xlsx(request: HttpRequest, office: str, network: str, year: int, number: int) -> StreamingHttpResponse:
    """A delivered version as an Excel sheet: the measures in the network's order, with sums per scheme."""
    version = get_version_for(request.user, office, network, year, number)
    response = StreamingHttpResponse(compilation_xlsx_chunks(version), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename(version, "xlsx")) or ""
    response["Cache-Control"] = NO_STORE
    return response


@require_GET
@login_required
def round_compilations(request: HttpRequest, office: str, year: int) -> HttpResponse:
    """The round's compilations, one row per network the user may see: status, delivered version, links."""
    round = get_round_compilations_for(request.user, office, year)
    networks = list(Network.objects.filter(round_compilation_networks_q(request.user, round)).order_by("name"))
    found = {
        c.network_id: c for c in Compilation.objects.filter(round=round, network__in=networks).with_latest().order_by()
    }
    rows = []
    for network in networks:
        network.office = round.office
        compilation = found.get(network.pk) or Compilation(round=round, network=network)
        compilation.round, compilation.network = round, network
        rows.append((network, compilation, getattr(compilation, "last_number", None)))
    context = {
        "round": round,
        "rows": rows,
        "deadline": round.milestones.filter(governs=Transition.NETWORK_COMPILATION).first(),
        "delivered": sum(1 for _n, c, last in rows if c.status == Compilation.Status.DELIVERED),
    }
    response = render(request, "allocation/compilation_round.html", context)
    response["Cache-Control"] = NO_STORE
    return response
