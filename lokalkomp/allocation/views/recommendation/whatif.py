"""The round's what-ifs (named copies of the recommendation), one compared side by side with the main one, adopted
or discarded; and «fill within the frames by priority» (the suggestion ★) for the main recommendation or a what-if.

Every change is a POST with a confirmation (a checkbox for adopting and discarding, a page of its own for the
suggestion); a locked recommendation or what-if says why instead.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from ...access.assessment import declaration_gate
from ...access.recommendation import get_recommendation_for, recommendation_round_for
from ...models.recommendation import NAME_MAX, Locked, Recommendation
from ...suggestion import suggest
from ...what_if import adopt_for, compare
from .workspace_page import register_header_link


class NameForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name of the what-if"), max_length=NAME_MAX, strip=True)

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"]
        if "\x00" in name:
            raise ValidationError(_("The name cannot contain that character."))
        return name


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(label=gettext_lazy("Yes, I am sure"), required=True)


class SuggestForm(forms.Form):
    replace_all = forms.BooleanField(
        label=gettext_lazy("Replace all amounts, also those people have set"),
        required=False,
    )


def _urls(what_if: Recommendation) -> dict[str, str]:
    round, pk = what_if.round, what_if.pk
    args = [round.office.slug, round.year, pk]
    return {
        "workspace": reverse("allocation:recommendation_what_if", args=args),
        "compare": reverse("allocation:what_if_compare", args=args),
        "adopt": reverse("allocation:what_if_adopt", args=args),
        "discard": reverse("allocation:what_if_discard", args=args),
        "suggest": reverse("allocation:recommendation_suggest", args=args),
    }


def _list_url(round: Any) -> str:
    return reverse("allocation:what_ifs", args=[round.office.slug, round.year])


@register_header_link
def _header_links(request: HttpRequest, recommendation: Recommendation) -> list[tuple[str, str]]:
    round = recommendation.round
    links = [(_("What-ifs"), _list_url(round))]
    if recommendation.kind == Recommendation.Kind.WHAT_IF:
        links.append((_("Compare with the recommendation"), _urls(recommendation)["compare"]))
        suggest_url = _urls(recommendation)["suggest"]
    else:
        suggest_url = reverse("allocation:recommendation_suggest", args=[round.office.slug, round.year])
    if recommendation.is_editable:
        links.append((_("Fill within the frames by priority ★"), suggest_url))
    return links


@require_http_methods(["GET", "POST"])
@login_required
def what_ifs(request: HttpRequest, office: str, year: int) -> HttpResponse:
    """The round's what-ifs, and (POST) a new one: a copy of the recommendation with a name."""
    write = request.method == "POST"
    round = recommendation_round_for(request.user, office, year, write=write)
    if elsewhere := declaration_gate(request.user, round, request.path):
        return redirect(elsewhere)
    main = Recommendation.main_of(round, by=request.user)
    main.round = round
    form = NameForm(request.POST if write else None)
    status = 200
    if write:
        if not main.is_editable:
            messages.error(request, main.why_locked() + " " + _("No new what-if can be made."))
            return redirect(_list_url(round))
        if form.is_valid():
            try:
                what_if = main.copy(form.cleaned_data["name"], by=request.user)
            except ValidationError as error:
                form.add_error("name", error)
            else:
                messages.success(request, _("The what-if «%(name)s» is made.") % {"name": what_if.name})
                return redirect("allocation:recommendation_what_if", round.office.slug, round.year, what_if.pk)
        status = 422
    rows = (
        Recommendation.objects.what_ifs()
        .filter(round=round)
        .select_related("created_by")
        .order_by("-created_at", "-pk")
    )
    context = {
        "round": round,
        "main": main,
        "what_ifs": [(w, _urls_for(w, round)) for w in rows],
        "form": form,
        "main_url": reverse("allocation:recommendation", args=[round.office.slug, round.year]),
    }
    return render(request, "allocation/what_ifs.html", context, status=status)


def _urls_for(what_if: Recommendation, round: Any) -> dict[str, str]:
    what_if.round = round
    return _urls(what_if)


@require_http_methods(["GET"])
@login_required
def what_if_compare(request: HttpRequest, office: str, year: int, what_if: int) -> HttpResponse:
    found = get_recommendation_for(request.user, office, year, what_if=what_if)
    if elsewhere := declaration_gate(request.user, found.round, request.path):
        return redirect(elsewhere)
    return _compare_page(request, found)


def _compare_page(request: HttpRequest, what_if: Recommendation, status: int = 200) -> HttpResponse:
    main = what_if.main
    context = {
        "round": what_if.round,
        "what_if": what_if,
        "main": main,
        "comparison": compare(what_if, user=request.user),
        "urls": _urls(what_if),
        "list_url": _list_url(what_if.round),
        "main_url": reverse("allocation:recommendation", args=[what_if.round.office.slug, what_if.round.year]),
        "confirm_form": ConfirmForm(),
        "may_adopt": what_if.is_editable and main.is_editable,
    }
    return render(request, "allocation/what_if_compare.html", context, status=status)


@require_POST
@login_required
def what_if_adopt(request: HttpRequest, office: str, year: int, what_if: int) -> HttpResponse:
    return _close(request, office, year, what_if, adopt=True)


@require_POST
@login_required
def what_if_discard(request: HttpRequest, office: str, year: int, what_if: int) -> HttpResponse:
    return _close(request, office, year, what_if, adopt=False)


def _close(request: HttpRequest, office: str, year: int, pk: int, *, adopt: bool) -> HttpResponse:
    found = get_recommendation_for(request.user, office, year, what_if=pk, write=True)
    if elsewhere := declaration_gate(request.user, found.round, request.path):
        return redirect(elsewhere)
    back = _urls(found)["compare"]
    if not ConfirmForm(request.POST).is_valid():
        messages.error(request, _("Tick the box to confirm, then try again."))
        return redirect(back)
    try:
        if adopt:
            changed = adopt_for(found, by=request.user)
        else:
            found.discard(by=request.user)
    except Locked as locked:
        messages.error(request, str(locked))
        return redirect(back)
    if adopt:
        messages.success(
            request,
            _("The what-if «%(name)s» is adopted: %(n)s lines of the recommendation changed.")
            % {"name": found.name, "n": changed},
        )
        return redirect("allocation:recommendation", found.round.office.slug, found.round.year)
    messages.success(request, _("The what-if «%(name)s» is discarded.") % {"name": found.name})
    return redirect(_list_url(found.round))


@require_http_methods(["GET", "POST"])
@login_required
def recommendation_suggest(request: HttpRequest, office: str, year: int, what_if: int | None = None) -> HttpResponse:
    """«Fill within the frames by priority»: GET explains it and asks; POST fills and says what it did."""
    write = request.method == "POST"
    found = get_recommendation_for(request.user, office, year, what_if=what_if, write=write)
    round = found.round
    if elsewhere := declaration_gate(request.user, round, request.path):
        return redirect(elsewhere)
    args = [round.office.slug, round.year]
    back = (
        reverse("allocation:recommendation_what_if", args=[*args, found.pk])
        if found.kind == Recommendation.Kind.WHAT_IF
        else reverse("allocation:recommendation", args=args)
    )
    form = SuggestForm(request.POST if write else None)
    if write and form.is_valid():
        try:
            result = suggest(found, by=request.user, replace_all=form.cleaned_data["replace_all"])
        except Locked as locked:
            messages.error(request, str(locked))
        else:
            for n, text in enumerate(result.messages()):
                (messages.success if n == 0 else messages.info)(request, text)
        return redirect(back)
    context = {"round": round, "recommendation": found, "form": form, "back": back}
    return render(request, "allocation/what_if_suggest.html", context)
