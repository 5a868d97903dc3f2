"""What the parser reads off a needs report form: plain data, no database."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple


@dataclass
class ParsedContact:
    side: str  # "owner" or "partner" (UH)
    name: str = ""
    function: str = ""
    phone: str = ""
    email: str = ""
    account_number: str = ""  # 11 digits
    org_number: str = ""  # 9 digits
    payment_reference: str = ""  # "Ev. merkes"


@dataclass
class ParsedContinuation:
    period_label: str  # as on the form: "Høst 2025", "2026"
    period: str  # "2025-autumn", "2026"
    owner_amount: int | None = None
    owner_reason: str = ""
    partner_amount: int | None = None
    partner_reason: str = ""


@dataclass
class ParsedMeasure:
    number: int
    name: str = ""
    owner_amount: int = 0
    partner_amount: int = 0
    declared_total: int | None = None  # "Sum totalt" as written, never trusted over the parts
    purpose: str = ""  # assessment, planning, implementation, coordinator or ""
    description: str = ""
    anchoring: str = ""
    collective: str = ""
    teacher_education: str = ""
    long_term_plan: str = ""
    owner_share_use: str = ""
    partner_share_use: str = ""
    needs_coordinator: bool | None = None
    coordinator_reason: str = ""
    semesters: list[str] = field(default_factory=list)  # "2024-spring", "2024-autumn", ...
    continuations: list[ParsedContinuation] = field(default_factory=list)
    target_group: str = ""

    @property
    def total(self) -> int:
        return self.owner_amount + self.partner_amount


class DeclaredTotal(NamedTuple):
    owner: int | None
    partner: int | None
    total: int | None


class OtherPartner(NamedTuple):
    name: str
    contact: str
    kind: str  # "owner", "partner" or ""


class UnionParticipant(NamedTuple):
    role: str
    name: str


@dataclass
class ParsedReport:
    schemes: list[str] = field(default_factory=list)  # rekomp, dekomp, kompetanseloftet
    owner_names: str = ""
    network_name: str = ""
    partner_names: str = ""
    contacts: list[ParsedContact] = field(default_factory=list)
    several_owners: bool | None = None
    several_partners: bool | None = None
    several_schemes: bool | None = None
    declared_measure_count: int | None = None
    declared_totals: dict[str, DeclaredTotal] = field(default_factory=dict)  # scheme code or "sum"
    year: int | None = None
    measures: list[ParsedMeasure] = field(default_factory=list)
    other_partners: list[OtherPartner] = field(default_factory=list)
    union_discussed: bool | None = None
    union_participants: list[UnionParticipant] = field(default_factory=list)
    municipal_kindergartens: int | None = None
    private_kindergartens: int | None = None
    public_schools: int | None = None
    private_schools: int | None = None
    pp_services: int | None = None
    unplaced: list[str] = field(default_factory=list)
