"""The Statsforvalter's page for a round's budget frames and their division between the networks.

One page, a section per scheme of the round; each change has its own URL: the frame, the key
(its basis and base amount), the counts per network, and removing the key. With htmx a change
answers with its scheme's section; without it, the page again (or a redirect after a change).
Every change is an event (budgets.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import BoundField
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lokalkomp.directory.models import Network

from . import panels
from .access import get_frames_for, get_round_scheme_for
from .budgets import DistributionKey, Frame, RoundFrames, frame_events, key_of
from .division import Share
from .forms_frames import CountsForm, FrameForm, KeyForm, spaced
from .models import Round, RoundScheme


@dataclass(frozen=True)
class Row:
    """A network in the counts table: its count's field and its share (None: not in the key, or no division)."""

    network: Network
    field: BoundField
    share: Share[Network] | None
    in_key: bool  # it has a count (0 too), so it shares the frame
    gone: bool  # in the key, but no longer a network of the office: it may only be taken out


@dataclass
class Section:
    """One scheme's part of the page: its frame, its key and its counts, each with its form."""

    frame: Frame
    frame_form: FrameForm
    key_form: KeyForm
    counts_form: CountsForm | None
    saved: str = ""  # what a change did (htmx), or
    refused: str = ""  # why it could not be done

    @property
    def pk(self) -> int:
        return self.frame.round_scheme.pk

    @property
    def rows(self) -> list[Row]:
        if self.counts_form is None:
            return []
        division = self.frame.division
        shares = {share.network.pk: share for share in division.shares} if division else {}
        form, office_id = self.counts_form, self.frame.round_scheme.round.office_id
        in_key = {network.pk for network, _count in self.frame.counts}
        return [
            Row(n, form[f"network-{n.pk}"], shares.get(n.pk), n.pk in in_key, n.office_id != office_id)
            for n in form.networks
        ]


def _counted_networks(frame: Frame, networks: list[Network]) -> list[Network]:
    """The office's networks and, after them, those in the key that have left the office (to take them out)."""
    ids = {n.pk for n in networks}
    return [*networks, *(n for n, _count in frame.counts if n.pk not in ids)]


def _section(frame: Frame, networks: list[Network], **bound: Any) -> Section:
    pk, key = frame.round_scheme.pk, frame.key
    frame_form = bound.get("frame_form") or FrameForm(prefix=f"s{pk}", initial={"amount": spaced(frame.amount)})
    key_initial = {"basis": key.basis, "base_amount": spaced(key.base_amount)} if key else {}
    key_form = bound.get("key_form") or KeyForm(prefix=f"s{pk}", initial=key_initial)
    counts_form = None
    if key is not None:
        counts = {network.pk: count for network, count in frame.counts}
        counted = _counted_networks(frame, networks)
        initial = {f"network-{n.pk}": spaced(counts.get(n.pk)) for n in counted}
        counts_form = bound.get("counts_form") or CountsForm(
            prefix=f"s{pk}", networks=counted, basis_label=key.get_basis_display(), initial=initial
        )
    return Section(frame, frame_form, key_form, counts_form, bound.get("saved", ""), bound.get("refused", ""))


def _render(
    request: HttpRequest, round: Round, status: int = 200, *, pk: int | None = None, **bound: Any
) -> HttpResponse:
    """The page, with `bound` (forms with what was typed, or a `saved` note) in the section of round scheme `pk`."""
    frames: RoundFrames = round.frames()
    sections = [_section(f, frames.networks, **(bound if f.round_scheme.pk == pk else {})) for f in frames]
    added = [source(round) for source in panels.frame_additions]  # reporting: unused funds transferred
    for section in sections:
        section.transferred = sum(a.get(section.frame.round_scheme.scheme_id, 0) for a in added)  # type: ignore[attr-defined]
    context = {"round": round, "frames": frames, "sections": sections}
    if request.headers.get("HX-Request") and pk is not None:
        context["section"] = next(s for s in sections if s.pk == pk)
        return render(request, "schemes/frames.html#scheme", context, status=status)
    context["events"] = [(event, _what_changed(event.key)) for event in frame_events(round)]
    return render(request, "schemes/frames.html", context, status=status)


def _what_changed(key: str) -> str:
    """The change record's key («roundscheme:5:budget», «keyinput:7:added») in words."""
    words = {
        "budget": _("Frame"),
        "basis": _("Divided by"),
        "base_amount": _("Base amount"),
        "count": _("Count"),
        "distributionkey:added": _("Key added"),
        "distributionkey:removed": _("Key removed"),
        "keyinput:added": _("Network added to the key"),
        "keyinput:removed": _("Network taken out of the key"),
    }
    model, _pk, change = key.split(":", 2) if key.count(":") == 2 else ("", "", key)
    return words.get(f"{model}:{change}", words.get(change, key))


def _done(request: HttpRequest, round_scheme: RoundScheme, text: str) -> HttpResponse:
    """After a change: the section with a note (htmx), or back to the page at the scheme."""
    if request.headers.get("HX-Request"):
        return _render(request, round_scheme.round, pk=round_scheme.pk, saved=text)
    messages.success(request, text)
    round = round_scheme.round
    return redirect(reverse("schemes:frames", args=[round.office.slug, round.year]) + f"#scheme-{round_scheme.pk}")


@require_GET
@login_required
def frames(request: HttpRequest, office: str, year: int) -> HttpResponse:
    """The round's frames per scheme, and how a key divides each between the office's networks."""
    return _render(request, get_frames_for(request.user, office, year))


@require_POST
@login_required
def set_frame(request: HttpRequest, office: str, year: int, pk: int) -> HttpResponse:
    round_scheme = get_round_scheme_for(request.user, office, year, pk)
    form = FrameForm(request.POST, prefix=f"s{pk}")
    if not form.is_valid():
        return _render(request, round_scheme.round, 422, pk=pk, frame_form=form)
    changed = round_scheme.set_frame(form.cleaned_data["amount"], by=request.user)
    scheme = round_scheme.scheme.short_name
    text = _("The frame of %(scheme)s was saved.") if changed else _("The frame of %(scheme)s was already so.")
    return _done(request, round_scheme, text % {"scheme": scheme})


@require_POST
@login_required
def set_key(request: HttpRequest, office: str, year: int, pk: int) -> HttpResponse:
    """Divide the frame by a key (made if there is none), with this basis and base amount."""
    round_scheme = get_round_scheme_for(request.user, office, year, pk)
    form = KeyForm(request.POST, prefix=f"s{pk}")
    if not form.is_valid():
        return _render(request, round_scheme.round, 422, pk=pk, key_form=form)
    data = form.cleaned_data
    DistributionKey.put(round_scheme, basis=data["basis"], base_amount=data["base_amount"], by=request.user)
    text = _("The key of %(scheme)s was saved.") % {"scheme": round_scheme.scheme.short_name}
    return _done(request, round_scheme, text)


@require_POST
@login_required
def remove_key(request: HttpRequest, office: str, year: int, pk: int) -> HttpResponse:
    """The frame is no longer divided by a key: the key and its counts go (the record keeps them)."""
    round_scheme = get_round_scheme_for(request.user, office, year, pk)
    key = key_of(round_scheme)
    if key is None:
        text = _("%(scheme)s has no key to remove.") % {"scheme": round_scheme.scheme.short_name}
        return _render(request, round_scheme.round, 409, pk=pk, refused=text)
    key.remove(by=request.user)
    return _done(
        request, round_scheme, _("The key of %(scheme)s was removed.") % {"scheme": round_scheme.scheme.short_name}
    )


@require_POST
@login_required
def set_counts(request: HttpRequest, office: str, year: int, pk: int) -> HttpResponse:
    """The key's counts: a count puts a network of the office in the key, an empty one takes it out."""
    round_scheme = get_round_scheme_for(request.user, office, year, pk)
    key = key_of(round_scheme)
    scheme = round_scheme.scheme.short_name
    if key is None:
        text = _("%(scheme)s has no key: choose one before the counts.") % {"scheme": scheme}
        return _render(request, round_scheme.round, 409, pk=pk, refused=text)
    frames = round_scheme.round.frames()
    frame = next(f for f in frames if f.round_scheme.pk == pk)
    networks = _counted_networks(frame, frames.networks)
    form = CountsForm(request.POST, prefix=f"s{pk}", networks=networks, basis_label=key.get_basis_display())
    if not form.is_valid():
        return _render(request, round_scheme.round, 422, pk=pk, counts_form=form)
    try:
        n = key.set_counts(form.counts(), by=request.user)
    except ValidationError as error:  # a count for a network that left the office in the meantime
        form.add_error(None, error)
        return _render(request, round_scheme.round, 422, pk=pk, counts_form=form)
    text = _("The counts of %(scheme)s were saved (%(n)s changed).") % {"scheme": scheme, "n": n}
    return _done(request, round_scheme, text)
