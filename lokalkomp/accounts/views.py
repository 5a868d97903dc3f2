"""My account, invitations, the office's people and roles, and the audit record."""

from __future__ import annotations

import csv
import itertools
import re
from typing import Any, cast

from allauth.account import views as allauth_views
from allauth.account.internal.flows.login import record_authentication
from allauth.account.utils import perform_login
from allauth.mfa.models import Authenticator
from allauth.socialaccount.adapter import get_adapter as get_social_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import audit, invitations
from .access import (
    check_invitation,
    get_audit_events_for,
    get_invitation_targets_for,
    get_managed_membership_for,
    get_office_for,
    invitation_targets,
    people_in,
    visible_invitations,
    with_memberships,
)
from .adapter import verified_addresses
from .forms import AccountForm, InvitationForm, MembershipForm, role_places
from .models import AuditEvent, Membership, User
from .reauth import require_reauthentication
from .rules import can_manage_roles, can_read_audit, people_offices_q

AUDIT_PAGE_SIZE = 50


class EmailView(allauth_views.EmailView):
    """allauth's e-mail page, except that an unconfirmed address cannot become the account's main one."""

    def _action_primary(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        address = self._get_email_address(request)
        if address is not None and not address.verified:
            messages.error(request, _("Confirm the address with the link sent to it before you make it the main one."))
            return redirect("account_email")
        return super()._action_primary(request, *args, **kwargs)  # type: ignore[no-any-return]


email = require_http_methods(["GET", "POST"])(EmailView.as_view())


@require_GET
@login_required
def me(request: HttpRequest) -> HttpResponse:
    """My account: my roles, and the ways to two-factor authentication and a new password."""
    from lokalkomp.directory.models import Office

    user = cast(User, request.user)  # behind login_required
    memberships = Membership.objects.current().filter(user=user).select_related("office", "network", "organisation")
    return render(
        request,
        "accounts/me.html",
        {
            "memberships": memberships,
            "has_totp": Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists(),
            "offices": Office.objects.filter(people_offices_q(user)),
            "may_read_audit": can_read_audit(user),
            "may_invite": bool(invitation_targets(user)),
            "single_sign_on": bool(get_social_adapter(request).list_providers(request)),
        },
    )


@require_GET
@login_required
def invitation_list(request: HttpRequest) -> HttpResponse:
    get_invitation_targets_for(request.user)
    sent = visible_invitations(request.user).select_related(
        "office", "network", "organisation", "partnership", "invited_by", "accepted_by"
    )
    return render(request, "accounts/invitations.html", {"invitations": sent[:200]})


@require_http_methods(["GET", "POST"])
@login_required
def invite(request: HttpRequest) -> HttpResponse:
    """Invite someone to a role; the link goes out by e-mail. Asks for the password again first."""
    targets = get_invitation_targets_for(request.user)
    require_reauthentication(request)
    form = InvitationForm(request.POST or None, targets=targets)
    if request.method == "POST" and form.is_valid():
        invitation = check_invitation(request.user, form.invitation())
        invitations.create_invitation(invitation, by=request.user, request=request)  # type: ignore[arg-type]
        messages.success(request, _("The invitation was sent to %(email)s.") % {"email": invitation.email})
        return redirect("accounts:invitations")
    status = 422 if request.method == "POST" else 200
    return render(request, "accounts/invite.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, token: str) -> HttpResponse:
    """Open an invitation: sign in or create the account, then take the role."""
    try:
        invitation = invitations.read_token(token)
    except invitations.InvitationUnusable as problem:
        return render(request, "accounts/accept_unusable.html", {"problem": problem}, status=410)
    context: dict[str, Any] = {"invitation": invitation}
    if request.user.is_authenticated:
        if invitation.email not in verified_addresses(request.user):  # an unconfirmed address does not count
            return render(request, "accounts/accept_other_person.html", context, status=403)
        if request.method == "POST":
            return _accept(request, invitation, request.user)  # type: ignore[arg-type]
        return render(request, "accounts/accept.html", context)
    if User.objects.filter(email__iexact=invitation.email).exists():
        context["login_url"] = f"{reverse('account_login')}?{urlencode({'next': request.path})}"
        return render(request, "accounts/accept_sign_in.html", context)
    form = AccountForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        return _create_and_accept(request, invitation, form)
    status = 422 if request.method == "POST" else 200
    return render(request, "accounts/accept_new_account.html", {**context, "form": form}, status=status)


def _accept(request: HttpRequest, invitation: Any, user: User) -> HttpResponse:
    try:
        invitations.accept(invitation, user=user, request=request)
    except invitations.InvitationUnusable as problem:
        return render(request, "accounts/accept_unusable.html", {"problem": problem}, status=410)
    messages.success(
        request,
        _("Welcome! You are now %(role)s in %(place)s.")
        % {"role": invitation.get_role_display().lower(), "place": invitation.place_label},
    )
    return redirect("home")


def _create_and_accept(request: HttpRequest, invitation: Any, form: AccountForm) -> HttpResponse:
    data = form.cleaned_data
    try:
        with transaction.atomic():
            user = invitations.create_account(
                invitation, first_name=data["first_name"], last_name=data["last_name"], password=data["password1"]
            )
            invitations.accept(invitation, user=user, request=request)
    except invitations.InvitationUnusable as problem:
        return render(request, "accounts/accept_unusable.html", {"problem": problem}, status=410)
    messages.success(
        request,
        _("Welcome! Your account is ready, and you are %(role)s in %(place)s.")
        % {"role": invitation.get_role_display().lower(), "place": invitation.place_label},
    )
    response = perform_login(request, user, redirect_url=reverse("home"))
    # The password was typed a moment ago: setting up two-factor authentication needs no second prompt.
    record_authentication(request, user, method="password", reauthenticated=True)
    return response


@require_GET
@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """The audit record of the offices the user governs, and the changes there, newest first, 50 to a page."""
    form = _audit_filter(request)
    page = Paginator(audit.record_rows(request.user, form.filters()), AUDIT_PAGE_SIZE).get_page(request.GET.get("side"))
    query = request.GET.copy()
    query.pop("side", None)
    context = {"page": page, "lines": audit.lines(list(page.object_list)), "form": form, "query": query.urlencode()}
    return render(request, "accounts/audit.html", context)


@require_GET
@login_required
def audit_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The audit page's lines under the same filters, every one of them, as CSV (semicolons, for Excel)."""
    form = _audit_filter(request)
    writer = csv.writer(Echo(), delimiter=";")
    rows = (writer.writerow(row) for row in audit.csv_lines(request.user, form.filters()))
    response = StreamingHttpResponse(itertools.chain(["\ufeff"], rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="revisjon-{timezone.localdate():%Y-%m-%d}.csv"'
    return response


class Echo:
    """A file that hands back what is written to it, for streaming CSV."""

    def write(self, value: str) -> str:
        return value


def _audit_filter(request: HttpRequest) -> audit.AuditFilterForm:
    get_audit_events_for(request.user)  # 403 for those who may read none
    return audit.AuditFilterForm(request.GET or None, offices=audit.readable_offices(request.user))


@require_GET
@login_required
def people(request: HttpRequest, office: str) -> HttpResponse:
    """The office's people and their roles; the administrator gives and takes roles here."""
    the_office = get_office_for(request.user, office)
    return _people_page(request, the_office)


PEOPLE_PER_PAGE = 50


def _people_page(request: HttpRequest, office: Any, form: MembershipForm | None = None) -> HttpResponse:
    """One page of the office's people (searchable by name or e-mail); a role is given to the person chosen there."""
    search = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    page = Paginator(people_in(office, search), PEOPLE_PER_PAGE).get_page(request.GET.get("side"))
    persons = list(page.object_list)
    with_memberships(persons)
    may_manage = can_manage_roles(request.user, office)
    chosen = None
    if may_manage:
        wanted = str((form.data.get("person") if form is not None else request.GET.get("person")) or "")
        if re.fullmatch(r"[0-9]{1,18}", wanted):
            chosen = people_in(office).filter(pk=int(wanted)).first()
        if form is None:
            initial = {"person": chosen.pk} if chosen else {}
            form = MembershipForm(people=people_in(office), places=role_places(office), initial=initial)
    query = request.GET.copy()
    query.pop("side", None)
    query.pop("person", None)
    context = {
        "office": office,
        "page": page,
        "people": persons,
        "search": search,
        "query": query.urlencode(),
        "chosen": chosen,
        "form": form,
        "may_manage": may_manage,
    }
    return render(request, "accounts/people.html", context, status=422 if form is not None and form.errors else 200)


@require_POST
@login_required
def add_role(request: HttpRequest, office: str) -> HttpResponse:
    the_office = get_office_for(request.user, office, write=True)
    require_reauthentication(request)
    form = MembershipForm(request.POST, people=people_in(the_office), places=role_places(the_office))
    if not form.is_valid():
        return _people_page(request, the_office, form)
    values = form.membership()
    with transaction.atomic():
        membership, _created = Membership.objects.update_or_create(**values, defaults={"active": True})
        _record_role_change(request, membership, the_office, "added")
    messages.success(request, _("%(person)s is now %(role)s.") % _role_words(membership))
    return redirect("accounts:people", the_office.slug)


@require_POST
@login_required
def remove_role(request: HttpRequest, office: str, membership: int) -> HttpResponse:
    the_office = get_office_for(request.user, office, write=True)
    the_membership = get_managed_membership_for(request.user, the_office, membership)
    require_reauthentication(request)
    with transaction.atomic():
        the_membership.active = False
        the_membership.save(update_fields=["active"])
        _record_role_change(request, the_membership, the_office, "removed")
    messages.success(request, _("%(person)s is no longer %(role)s.") % _role_words(the_membership))
    return redirect("accounts:people", the_office.slug)


def _role_words(membership: Membership) -> dict[str, str]:
    return {"person": str(membership.user), "role": membership.get_role_display().lower()}


def _record_role_change(request: HttpRequest, membership: Membership, office: Any, change: str) -> None:
    audit.record(
        AuditEvent.Kind.ROLE_CHANGED,
        request=request,
        user=membership.user,
        actor=request.user,
        office=office,
        change=change,
        role=membership.role,
        place=str(membership.network or membership.office),
    )


@require_GET
@login_required
def my_networks(request: HttpRequest) -> HttpResponse:
    """The header's «My network»: straight to it for the coordinator of one, else a choice."""
    from lokalkomp.directory.models import Network

    from .rules import coordinated_network_ids

    networks = list(Network.objects.filter(pk__in=coordinated_network_ids(request.user)).select_related("office"))
    if len(networks) == 1:
        return redirect(networks[0])
    return render(request, "accounts/my_networks.html", {"networks": networks})
