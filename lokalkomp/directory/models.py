"""Who is who: offices, counties, municipalities, organisations, units, networks, forums."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .validators import (
    format_account_number,
    format_org_number,
    validate_account_number,
    validate_org_number,
)


class Office(models.Model):
    """A Statsforvalter office (embete); one or more counties belong to it."""

    slug = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")

    def __str__(self) -> str:
        return self.name


class County(models.Model):
    """A fylke. Its office is data: the fylke → embete mapping changes with reforms."""

    number = models.CharField(_("county number"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100)
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="counties", verbose_name=_("office"))

    class Meta:
        ordering = ["number"]
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        constraints = [
            models.CheckConstraint(condition=Q(number__regex=r"^[0-9]{2}$"), name="county_number_two_digits"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class LanguageForm(models.TextChoices):
    BOKMAL = "nb", _("Bokmål")
    NYNORSK = "nn", _("Nynorsk")
    NEUTRAL = "neutral", _("Neutral")


class Municipality(models.Model):
    number = models.CharField(_("municipality number"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=100)
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("county")
    )
    language_form = models.CharField(
        _("language form"), max_length=10, choices=LanguageForm.choices, default=LanguageForm.NEUTRAL
    )

    class Meta:
        ordering = ["number"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        constraints = [
            models.CheckConstraint(condition=Q(number__regex=r"^[0-9]{4}$"), name="municipality_number_four_digits"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def owners(self) -> OrganisationQuerySet:
        return self.filter(kind__in=Organisation.OWNER_KINDS)

    def reviewed(self) -> OrganisationQuerySet:
        """The directory: organisations the register or the Statsforvalter vouches for."""
        return self.filter(reviewed=True)

    def for_party(
        self,
        *,
        name: str,
        owner: bool,
        org_number: str = "",
        kind: str = "",
        account_number: str = "",
        municipality: Municipality | None = None,
    ) -> tuple[Organisation, bool]:
        """The organisation with this number, else a new one for a partnership's owner (or UH) side; and if new.

        The one way an organisation is made outside the directory (the web form, the import): unconfirmed
        until the Statsforvalter confirms it, of the `kind` chosen, or else of the kind its name says.
        """
        kind = kind or _kind_named(name, owner=owner)
        if kind not in (Organisation.OWNER_KINDS if owner else Organisation.PARTNER_KINDS):
            raise ValueError(f"{kind} is not a kind of {'owner' if owner else 'university or college'}")
        values = {"name": name, "kind": kind, "account_number": account_number, "municipality": municipality}
        if org_number:
            return self.get_or_create(org_number=org_number, defaults=values | {"reviewed": False})
        return self.create(**values, reviewed=False), True


def _kind_named(name: str, *, owner: bool) -> str:
    """The kind a party's name says: «… fylkeskommune» is a county municipality, «… fagskole» a fagskole."""
    folded = name.casefold()
    if owner:
        return Organisation.Kind.COUNTY_MUNICIPALITY if "fylkeskommune" in folded else Organisation.Kind.MUNICIPALITY
    return Organisation.Kind.VOCATIONAL_COLLEGE if "fagskol" in folded else Organisation.Kind.UNIVERSITY


class Organisation(models.Model):
    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality")
        COUNTY_MUNICIPALITY = "county_municipality", _("County municipality")
        PRIVATE_OWNER = "private_owner", _("Private owner")
        UNIVERSITY = "university", _("University or university college")
        VOCATIONAL_COLLEGE = "vocational_college", _("Vocational college (fagskole)")
        GOVERNOR = "governor", _("Statsforvalter")
        INTEREST = "interest", _("Interest organisation or union")
        OTHER = "other", _("Other")

    OWNER_KINDS = (Kind.MUNICIPALITY, Kind.COUNTY_MUNICIPALITY, Kind.PRIVATE_OWNER)
    PARTNER_KINDS = (Kind.UNIVERSITY, Kind.VOCATIONAL_COLLEGE)

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    org_number = models.CharField(_("organisation number"), max_length=9, blank=True, validators=[validate_org_number])
    account_number = models.CharField(
        _("account number"), max_length=11, blank=True, validators=[validate_account_number]
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("municipality"),
    )
    office = models.ForeignKey(
        Office,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("office"),
        help_text=_("For a Statsforvalter: the office it is."),
    )
    reviewed = models.BooleanField(
        _("confirmed by the Statsforvalter"),
        default=True,
        help_text=_("Off for an organisation first typed into a needs report, until the Statsforvalter confirms it."),
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(fields=["org_number"], condition=~Q(org_number=""), name="unique_org_number"),
            models.CheckConstraint(
                condition=Q(org_number="") | Q(org_number__regex=r"^[0-9]{9}$"), name="org_number_nine_digits"
            ),
            models.CheckConstraint(
                condition=Q(account_number="") | Q(account_number__regex=r"^[0-9]{11}$"),
                name="account_number_eleven_digits",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def org_number_display(self) -> str:
        return format_org_number(self.org_number)

    @property
    def account_number_display(self) -> str:
        return format_account_number(self.account_number)


class Unit(models.Model):
    """A kindergarten, school or PP service: where the competence development happens."""

    class Kind(models.TextChoices):
        MUNICIPAL_KINDERGARTEN = "municipal_kindergarten", _("Municipal kindergarten")
        PRIVATE_KINDERGARTEN = "private_kindergarten", _("Private kindergarten")
        PUBLIC_SCHOOL = "public_school", _("Public school")
        PRIVATE_SCHOOL = "private_school", _("Private school")
        PP_SERVICE = "pp_service", _("Educational-psychological service (PPT)")

    owner = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="units", verbose_name=_("owner"))
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    org_number = models.CharField(_("organisation number"), max_length=9, blank=True, validators=[validate_org_number])

    class Meta:
        ordering = ["owner__name", "name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="unique_unit_name_per_owner"),
        ]

    def __str__(self) -> str:
        return self.name


class Network(models.Model):
    """A regional competence network (kompetansenettverk) of owners."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="networks", verbose_name=_("office"))
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("code"), max_length=80)
    owners = models.ManyToManyField(
        Organisation,
        related_name="networks",
        blank=True,
        verbose_name=_("member owners"),
        limit_choices_to={"kind__in": Organisation.OWNER_KINDS},
    )
    # Who coordinates the network is a membership (accounts: Role.NETWORK_COORDINATOR in this network).

    class Meta:
        ordering = ["office__name", "name"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        constraints = [
            models.UniqueConstraint(fields=["office", "slug"], name="unique_network_slug_per_office"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:network", args=[self.office.slug, self.slug])


class Forum(models.Model):
    """The collaboration forum (samarbeidsforum) of one office."""

    office = models.OneToOneField(Office, on_delete=models.PROTECT, related_name="forum", verbose_name=_("office"))
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("forum")
        verbose_name_plural = _("forums")

    def __str__(self) -> str:
        return self.name


class ForumMember(models.Model):
    """An organisation's seat in a forum, with its representative where known."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        DEPUTY = "deputy", _("Deputy")
        SECRETARIAT = "secretariat", _("Secretariat")
        OBSERVER = "observer", _("Observer")

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="members", verbose_name=_("forum"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="forum_seats", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    votes = models.BooleanField(_("has a vote"), default=True)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="forum_seats",
        verbose_name=_("representative"),
    )

    class Meta:
        ordering = ["forum", "role", "organisation__name"]
        verbose_name = _("forum member")
        verbose_name_plural = _("forum members")
        constraints = [
            models.UniqueConstraint(fields=["forum", "organisation", "role"], name="unique_forum_seat"),
            # Only members vote; the secretariat (the Statsforvalter) and observers never do.
            models.CheckConstraint(
                condition=Q(votes=False) | Q(role__in=["member", "deputy"]), name="only_members_vote"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"

    VOTING_ROLES = (Role.MEMBER, Role.DEPUTY)
    CHANGEABLE = ("role", "votes", "person")

    def clean(self) -> None:
        problems = self.seat_problems()
        if problems:
            raise ValidationError(problems)

    def seat_problems(self) -> dict[str, str]:
        """What is wrong with the seat, by field, in the user's language (the admin, the form and the changes ask)."""
        from django.contrib.auth import get_user_model

        from .seats import governors_q

        if not self.votes:
            return {}
        if self.role not in self.VOTING_ROLES:
            return {"votes": gettext("Only members and deputies vote; the secretariat and observers do not.")}
        if self.organisation_id and self.organisation.kind == Organisation.Kind.GOVERNOR:
            return {"votes": gettext("The Statsforvalter has no vote in the forum.")}
        if self.person_id is None or self.forum_id is None:
            return {}
        governors = get_user_model().objects.filter(governors_q(self.forum.office_id))
        if governors.filter(pk=self.person_id).exists():
            message = gettext(
                "%(person)s works for the Statsforvalter, and the Statsforvalter has no vote in the forum. "
                "Choose another person, or a seat without a vote."
            )
            return {"person": message % {"person": self.person}}
        return {}

    def check_seat(self) -> None:
        """ValidationError (by field) for a seat the forum cannot have: the rules above, and one seat per role."""
        problems = self.seat_problems()
        taken = ForumMember.objects.filter(forum_id=self.forum_id, organisation_id=self.organisation_id, role=self.role)
        if "role" not in problems and taken.exclude(pk=self.pk).exists():
            problems["role"] = gettext("%(organisation)s already has a seat as %(role)s in the forum.") % {
                "organisation": self.organisation,
                "role": self.get_role_display().lower(),
            }
        if problems:
            raise ValidationError(problems)

    def summary(self) -> str:
        """The seat as the record writes it (codes, not words: the record is in no one language)."""
        person = f", {self.person}" if self.person_id else ""
        return f"{self.organisation} ({self.role}, {'votes' if self.votes else 'no vote'}{person})"

    @classmethod
    def add(
        cls,
        forum: Forum,
        *,
        organisation: Organisation,
        role: str,
        votes: bool,
        person: Any,
        by: Any,
        source: str = "form",
    ) -> ForumMember:
        """A new seat in the forum, with an event; ValidationError for a seat the forum cannot have."""
        seat = cls(forum=forum, organisation=organisation, role=role, votes=votes, person=person)
        seat.check_seat()
        try:
            with transaction.atomic():
                seat.save()
                seat._record("added", old="", new=seat.summary(), by=by, source=source)
        except IntegrityError:  # the same seat added at the same moment by someone else
            seat.pk = None
            seat.check_seat()
            raise
        return seat

    def change(self, *, by: Any, source: str = "form", **values: Any) -> list[str]:
        """Change the seat's role, vote or representative: an event for each field that changed (returned)."""
        if set(values) - set(self.CHANGEABLE):
            raise ValueError(f"Only {', '.join(self.CHANGEABLE)} of a seat change; end it and add another.")
        before = {name: self._recorded(name) for name in values}
        kept = {name: getattr(self, name) for name in values}
        for name, value in values.items():
            setattr(self, name, value)
        try:
            self.check_seat()
        except ValidationError:
            for name, value in kept.items():  # the seat stays as it was
                setattr(self, name, value)
            raise
        changed = [name for name in values if self._recorded(name) != before[name]]
        try:
            with transaction.atomic():
                if changed:
                    self.save(update_fields=changed)
                for name in changed:
                    self._record(name, old=before[name], new=self._recorded(name), by=by, source=source)
        except IntegrityError:  # the same seat made at the same moment by someone else
            self.check_seat()
            raise
        return changed

    def end(self, *, by: Any, source: str = "form") -> None:
        """End the seat: it leaves the forum, and the record keeps what it was."""
        with transaction.atomic():
            self._record("removed", old=self.summary(), new="", by=by, source=source)
            self.delete()

    def _recorded(self, name: str) -> Any:
        if name == "person":
            return str(self.person) if self.person_id else ""
        return getattr(self, name)

    def _record(self, what: str, *, old: Any, new: Any, by: Any, source: str) -> None:
        from .changes import record

        key = f"forummember:{self.pk}:{what}"
        record(key, object_repr=self, old=old, new=new, by=by, source=source, office_id=self.forum.office_id)
