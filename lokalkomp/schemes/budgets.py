"""Budget frames and their division between the networks of a round's office by a key (fordelingsnøkkel).

A round scheme's frame is `RoundScheme.budget`: what Udir gave the office for the scheme. Where
the county divides a frame between its networks by a key, the key (one per round scheme, optional)
gives each network in it a base amount and shares the rest by a count per network: staff, units or
children (`division.divide`). The counts are `KeyInput` rows. A network is in the key when it has
a row (a count of 0 too), and only those networks share the frame: a network that joins the office
moves no money until it is given a count, which is an event. A network that leaves the office keeps
its share until it is taken out of the key, also an event.

Every change to a frame, a key or a count is an event on the audit record, through the methods
here (`RoundScheme.set_frame`, `DistributionKey.put`, `.set_counts`, `.remove`); the admin shows
them read-only. The methods lock the round scheme's row first, so two changes to one scheme take
turns (two first saves of a key make one key, not an error). `frames_of(round)` (`Round.frames()`)
gives every scheme's frame with each network's share in two queries, for the round page and the
frames page.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import FilteredRelation, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lokalkomp.directory.models import Network
from lokalkomp.templatetags.nor import format_kroner

from .division import Division, divide

if TYPE_CHECKING:
    from .models import Round, RoundScheme

# A frame: far above any county's frame for a scheme, far inside the 64-bit column. A count (staff,
# units, children in a network): far above any network's, far inside the 32-bit column.
MAX_FRAME = 10**12
MAX_COUNT = 1_000_000


class DistributionKey(models.Model):
    """How a round scheme's frame is divided between the office's networks: a base amount each, the rest by a count."""

    class Basis(models.TextChoices):
        STAFF = "staff", _("Staff")
        UNITS = "units", _("Kindergartens and schools")
        CHILDREN = "children", _("Children and pupils")

    round_scheme = models.OneToOneField(
        "schemes.RoundScheme",
        on_delete=models.CASCADE,
        related_name="distribution_key",
        verbose_name=_("scheme in round"),
    )
    basis = models.CharField(_("the rest divided by"), max_length=20, choices=Basis.choices, default=Basis.STAFF)
    base_amount = models.PositiveBigIntegerField(_("base amount per network (kr)"), default=0)

    class Meta:
        verbose_name = _("distribution key")
        verbose_name_plural = _("distribution keys")
        constraints = [models.CheckConstraint(condition=Q(base_amount__lte=MAX_FRAME), name="key_base_amount_capped")]

    def __str__(self) -> str:
        return f"{self.round_scheme}: {self.get_basis_display()}"

    def summary(self) -> str:
        """The key as the record writes it (codes and plain numbers: the record is in no one language)."""
        return f"{self.basis}; base {self.base_amount}"

    @classmethod
    def put(
        cls, round_scheme: RoundScheme, *, basis: str, base_amount: int, by: Any, source: str = "form"
    ) -> DistributionKey:
        """The round scheme's key with this basis and base amount: made if there is none, else changed."""
        if basis not in cls.Basis.values:
            raise ValidationError(gettext("Choose what the rest is divided by."))
        check_amount(base_amount)
        with transaction.atomic():
            _lock(round_scheme)
            key = cls.objects.filter(round_scheme=round_scheme).first()
            if key is None:
                key = cls.objects.create(round_scheme=round_scheme, basis=basis, base_amount=base_amount)
                _record(round_scheme, f"distributionkey:{key.pk}:added", new=key.summary(), by=by, source=source)
                return key
            for name, value in (("basis", basis), ("base_amount", base_amount)):
                old = getattr(key, name)
                if old != value:
                    setattr(key, name, value)
                    key.save(update_fields=[name])
                    _record(round_scheme, f"distributionkey:{key.pk}:{name}", old=old, new=value, by=by, source=source)
        return key

    def set_counts(self, counts: Mapping[int, int | None], *, by: Any, source: str = "form") -> int:
        """Set the counts of networks (by id), each change an event; returns how many changed.

        A count (0 too) puts a network of the round's office in the key; None takes a network out
        of it (also one that has left the office, which is given no new count).
        """
        for count in counts.values():
            if count is not None:
                check_count(count)
        round_scheme = self.round_scheme
        with transaction.atomic():
            _lock(round_scheme)
            stored = {i.network_id: i for i in self.inputs.filter(network_id__in=list(counts))}
            wanted = {pk: n for pk, n in counts.items() if n != (stored[pk].count if pk in stored else None)}
            networks = Network.objects.in_bulk(list(wanted))
            office_id = round_scheme.round.office_id
            if any(
                n is not None and getattr(networks.get(pk), "office_id", None) != office_id for pk, n in wanted.items()
            ):
                raise ValidationError(gettext("Only the networks of the round's office have counts."))
            for pk, count in wanted.items():
                self._write_count(networks[pk], stored.get(pk), count, by=by, source=source)
        return len(wanted)

    def _write_count(self, network: Network, row: KeyInput | None, count: int | None, *, by: Any, source: str) -> None:
        """Add the network to the key (no row yet), take it out (None) or change its count, with the event."""
        what, record = f"{self.round_scheme}: {network}", partial(_record, self.round_scheme, by=by, source=source)
        if row is None:
            row = KeyInput.objects.create(key=self, network=network, count=count or 0)
            record(f"keyinput:{row.pk}:added", new=count, object_repr=what)
        elif count is None:
            record(f"keyinput:{row.pk}:removed", old=row.count, object_repr=what)
            row.delete()
        else:
            old, row.count = row.count, count
            row.save(update_fields=["count"])
            record(f"keyinput:{row.pk}:count", old=old, new=count, object_repr=what)

    def remove(self, *, by: Any, source: str = "form") -> None:
        """Remove the key and its counts: the frame is no longer divided by a key. The record keeps what it was."""
        round_scheme = self.round_scheme
        with transaction.atomic():
            _lock(round_scheme)
            counts = ", ".join(f"{i.network}: {i.count}" for i in self.inputs.select_related("network").order_by("pk"))
            old = self.summary() + (f"; {counts}" if counts else "")
            _record(round_scheme, f"distributionkey:{self.pk}:removed", old=old, by=by, source=source)
            self.delete()


class KeyInput(models.Model):
    """One network's count for a key (its staff, its units or its children)."""

    key = models.ForeignKey(DistributionKey, on_delete=models.CASCADE, related_name="inputs", verbose_name=_("key"))
    network = models.ForeignKey(
        "directory.Network", on_delete=models.PROTECT, related_name="key_inputs", verbose_name=_("network")
    )
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        ordering = ["key", "network__name"]
        verbose_name = _("count for a key")
        verbose_name_plural = _("counts for a key")
        constraints = [
            models.UniqueConstraint(fields=["key", "network"], name="one_count_per_network_and_key"),
            models.CheckConstraint(condition=Q(count__lte=MAX_COUNT), name="key_count_capped"),
        ]

    def __str__(self) -> str:
        return f"{self.network}: {self.count}"


def check_amount(amount: int | None) -> None:
    """ValidationError unless the amount is whole kroner from 0 to MAX_FRAME (None: not set)."""
    if amount is not None and not (isinstance(amount, int) and 0 <= amount <= MAX_FRAME):
        raise ValidationError(amount_message())


def check_count(count: int) -> None:
    if not (isinstance(count, int) and 0 <= count <= MAX_COUNT):
        raise ValidationError(count_message())


def amount_message() -> str:
    return gettext("Write a whole number of kroner from 0 to %(max)s, for example 1 200 000.") % {
        "max": format_kroner(MAX_FRAME)
    }


def count_message() -> str:
    return gettext("Write a whole number from 0 to %(max)s.") % {"max": f"{MAX_COUNT:,}".replace(",", "\u00a0")}


def set_frame(round_scheme: RoundScheme, amount: int | None, *, by: Any, source: str = "form") -> bool:
    """RoundScheme.set_frame: the new frame with an event of old → new; False if it was already so."""
    check_amount(amount)
    with transaction.atomic():
        old = type(round_scheme).objects.select_for_update().values_list("budget", flat=True).get(pk=round_scheme.pk)
        round_scheme.budget = amount
        if old == amount:
            return False
        type(round_scheme).objects.filter(pk=round_scheme.pk).update(budget=amount)
        _record(round_scheme, f"roundscheme:{round_scheme.pk}:budget", old=old, new=amount, by=by, source=source)
    return True


def _lock(round_scheme: RoundScheme) -> None:
    """Changes to one round scheme's frame, key and counts take turns (the caller is in a transaction)."""
    list(type(round_scheme).objects.select_for_update().filter(pk=round_scheme.pk).values_list("pk"))


def _record(
    round_scheme: RoundScheme, key: str, *, by: Any, source: str, object_repr: Any = None, **change: Any
) -> None:
    from lokalkomp.accounts.models import AuditEvent

    round = round_scheme.round
    AuditEvent.record_change(
        key,
        object_repr=object_repr or round_scheme,
        by=by,
        source=source,
        office_id=round.office_id,
        frames_of_round=round.pk,  # the frames page lists its round's changes by this
        **change,
    )


def frame_events(round: Round, limit: int = 30) -> models.QuerySet[Any]:
    """The latest changes to the round's frames, keys and counts (one query)."""
    from lokalkomp.accounts.models import AuditEvent

    events = AuditEvent.objects.filter(office_id=round.office_id, details__frames_of_round=round.pk)
    return events.select_related("actor").order_by("-at", "-pk")[:limit]


# ── Reading the frames: what the round page, the frames page and the allocation app show ──


@dataclass(frozen=True)
class Frame:
    """One scheme of a round: its frame and, where a key divides it, each network's share."""

    round_scheme: RoundScheme
    key: DistributionKey | None
    division: Division[Network] | None  # None without a key
    counts: tuple[tuple[Network, int], ...] = ()  # the networks in the key and their counts, in name order

    @property
    def scheme(self) -> Any:
        return self.round_scheme.scheme

    @property
    def amount(self) -> int | None:
        return self.round_scheme.budget

    def share_of(self, network: Network) -> int | None:
        """The network's share in kroner, or None when no key divides the frame (or it cannot)."""
        share = self.division.share_of(network) if self.division and self.division.is_whole else None
        return share.total if share else None


@dataclass(frozen=True)
class RoundFrames:
    """Every scheme's frame of a round (iterate over it), and the office's networks they are divided between."""

    frames: list[Frame]
    networks: list[Network] = field(default_factory=list)

    def __iter__(self) -> Iterator[Frame]:
        return iter(self.frames)

    def __len__(self) -> int:
        return len(self.frames)

    @property
    def total(self) -> int:
        """The sum of the frames that are set."""
        return sum(frame.amount or 0 for frame in self.frames)


def key_of(round_scheme: RoundScheme) -> DistributionKey | None:
    try:
        return round_scheme.distribution_key
    except DistributionKey.DoesNotExist:
        return None


def frames_of(round: Round, *, round_schemes: list[RoundScheme] | None = None) -> RoundFrames:
    """The round's frames, each divided by its key: two queries, or one when `round_schemes` are given.

    `round_schemes`, if given, must have their scheme and key loaded (select_related "scheme",
    "distribution_key"), as the round page's prefetch has them.
    """
    if round_schemes is None:
        round_schemes = list(round.round_schemes.select_related("scheme", "distribution_key"))
    keys = {rs.pk: key_of(rs) for rs in round_schemes}
    networks, counts = _networks_with_counts(round, [key.pk for key in keys.values() if key])
    frames = []
    for rs in round_schemes:
        key = keys[rs.pk]
        division, in_key = None, tuple[tuple[Network, int], ...]()
        if key is not None:
            in_key = tuple((n, counts[(key.pk, n.pk)]) for n in networks if (key.pk, n.pk) in counts)
            division = _division(rs.budget, key.base_amount, list(in_key))
        frames.append(Frame(round_scheme=rs, key=key, division=division, counts=in_key))
    return RoundFrames(frames=frames, networks=[n for n in networks if n.office_id == round.office_id])


def _division(frame: int | None, base_amount: int, counts: list[tuple[Network, int]]) -> Division[Network]:
    if frame is None:
        return Division(0, (), problem=gettext("The frame is not set, so there is nothing to divide."))
    return divide(frame, base_amount, counts)


def _networks_with_counts(round: Round, key_ids: list[int]) -> tuple[list[Network], dict[tuple[int, int], int]]:
    """The office's networks and those in the keys, in name order, and the keys' counts by (key, network): one query.

    A network in a key may have left the office since: it keeps its share until it is taken out.
    """
    rows = Network.objects.select_related("office").order_by("name", "pk")
    if not key_ids:
        return list(rows.filter(office_id=round.office_id)), {}
    in_keys = KeyInput.objects.filter(key_id__in=key_ids).values("network_id")
    rows = rows.filter(Q(office_id=round.office_id) | Q(pk__in=in_keys)).annotate(
        counted=FilteredRelation("key_inputs", condition=Q(key_inputs__key_id__in=key_ids)),
        counted_key=models.F("counted__key_id"),
        counted_n=models.F("counted__count"),
    )
    networks: dict[int, Network] = {}
    counts: dict[tuple[int, int], int] = {}
    for network in rows:
        networks.setdefault(network.pk, network)
        if network.counted_key is not None:  # type: ignore[attr-defined]
            counts[(network.counted_key, network.pk)] = network.counted_n  # type: ignore[attr-defined]
    return list(networks.values()), counts
