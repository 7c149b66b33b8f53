"""Rows the quest SQL returns, what clients send, and what the API answers.

Row Structs mirror the SQL columns; response Structs (``Pet``, ``Goal``) are
built from them in Python so the API keeps the seed's shapes (a pet's
``state`` object, a goal's ``progress``).  No token has a field in any row
or response Struct.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
from msgspec import UNSET, Meta, UnsetType

from service.errors import describe_constraints
from service.http import json_size
from service.http.names import Name, normalize_names

Provider = Literal["github", "fitbit"]
EventKind = Literal["commits", "steps"]
GoalPeriod = Literal["daily", "weekly", "monthly"]
GoalStatus = Literal["active", "completed", "archived"]

PetName = Name(50)
Species = Annotated[str, Meta(min_length=1, max_length=32)]
Gauge = Annotated[int, Meta(ge=0, le=100, description="0..100")]
Traits = Annotated[dict[str, Any], Meta(max_length=32, description=(
    f"free-form JSON object, up to 32 keys and {json_size.TRAITS_MAX} bytes as stored (jsonb)"))]
AccountId = Annotated[str, Meta(min_length=1, max_length=255)]
Token = Annotated[str, Meta(min_length=1, max_length=4096)]
Scope = Annotated[str, Meta(min_length=1, max_length=100, pattern=r"^\S+$")]
GoalTitle = Annotated[str, Meta(min_length=1, max_length=200)]
Target = Annotated[int, Meta(gt=0, le=1_000_000_000)]
AwareDatetime = Annotated[datetime, Meta(tz=True)]


# ---- pets -----------------------------------------------------------------


class PetRow(msgspec.Struct):
    id: UUID
    name: str
    species: str
    energy: int
    hunger: int
    level: int
    xp: int
    last_event_id: int | None
    last_update: datetime
    traits: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    version: int


class PetState(msgspec.Struct):
    """The seed's ``state_json``, now typed columns with CHECKs."""

    energy: int
    hunger: int
    level: int
    xp: int
    last_event_id: int | None
    last_update: datetime
    traits: dict[str, Any]


class Pet(msgspec.Struct):
    id: UUID
    name: str
    species: str
    state: PetState
    created_at: datetime
    updated_at: datetime
    version: int

    @classmethod
    def from_row(cls, row: PetRow) -> Pet:
        return cls(id=row.id, name=row.name, species=row.species,
                   state=PetState(energy=row.energy, hunger=row.hunger, level=row.level, xp=row.xp,
                                  last_event_id=row.last_event_id, last_update=row.last_update,
                                  traits=row.traits),
                   created_at=row.created_at, updated_at=row.updated_at, version=row.version)


class PetStateCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A new pet's starting state; level and xp are earned, never sent."""

    energy: Gauge = 100
    hunger: Gauge = 0
    traits: Traits = msgspec.field(default_factory=dict)

    def __post_init__(self) -> None:
        json_size.check("traits", self.traits, json_size.TRAITS_MAX)


class PetCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: PetName
    species: Species = "machi"
    state: PetStateCreate = msgspec.field(default_factory=PetStateCreate)

    def __post_init__(self) -> None:
        normalize_names(self, "name")

class PetStatePatch(msgspec.Struct, forbid_unknown_fields=True):
    """What a client may change in a pet's state: feeding and resting (hunger, energy), traits
    (replaced as a whole).  level and xp are earned from events, so they are refused here."""

    energy: Gauge | UnsetType = UNSET
    hunger: Gauge | UnsetType = UNSET
    traits: Traits | UnsetType = UNSET

    def __post_init__(self) -> None:
        if self.traits is not UNSET:
            json_size.check("traits", self.traits, json_size.TRAITS_MAX)


class PetPatch(msgspec.Struct, forbid_unknown_fields=True):
    name: PetName | UnsetType = UNSET
    species: Species | UnsetType = UNSET
    state: PetStatePatch | UnsetType = UNSET

    def __post_init__(self) -> None:
        normalize_names(self, "name")

# ---- integrations -----------------------------------------------------------


class Integration(msgspec.Struct):
    """An integration as clients see it: never a token, only whether a refresh token is held."""

    id: UUID
    provider: str
    external_account_id: str
    scopes: list[str]
    status: str
    expires_at: datetime | None
    has_refresh_token: bool
    revoked_at: datetime | None
    created_at: datetime
    updated_at: datetime
    version: int


class IntegrationCreate(msgspec.Struct, forbid_unknown_fields=True):
    provider: Provider
    external_account_id: AccountId
    access_token: Token
    refresh_token: Token | None = None
    scopes: Annotated[list[Scope], Meta(max_length=64)] = msgspec.field(default_factory=list)
    expires_at: AwareDatetime | None = None

    def __repr__(self) -> str:  # a stray log line or traceback never shows the tokens
        return (f"IntegrationCreate(provider={self.provider!r}, external_account_id="
                f"{self.external_account_id!r}, access_token=***, refresh_token=***)")


class IntegrationPatch(msgspec.Struct, forbid_unknown_fields=True):
    """PATCH /integrations/{id}: rotate tokens, change scopes or expiry; an omitted field stays.
    refresh_token null erases it.  Both tokens are sealed again under the current key."""

    access_token: Token | UnsetType = UNSET
    refresh_token: Token | UnsetType | None = UNSET
    scopes: Annotated[list[Scope], Meta(max_length=64)] | UnsetType = UNSET
    expires_at: AwareDatetime | UnsetType | None = UNSET

    def __repr__(self) -> str:  # a stray log line or traceback never shows the tokens
        return "IntegrationPatch(access_token=***, refresh_token=***)"


class IntegrationSecrets(msgspec.Struct):
    provider: Provider
    access_token_enc: bytes | None
    refresh_token_enc: bytes | None
    token_key_id: str | None
    version: int


# ---- events -----------------------------------------------------------------


class RawInserted(msgspec.Struct):
    id: int
    status: str


class RawEvent(msgspec.Struct):
    id: int
    provider: str
    event_type: str
    user_id: UUID | None
    payload: dict[str, Any]
    received_at: datetime


class Event(msgspec.Struct):
    id: int
    kind: str
    value: int
    occurred_at: datetime
    metadata: dict[str, Any]
    raw_event_id: int
    created_at: datetime


class WebhookAck(msgspec.Struct):
    """processed: applied now; pending: stored, applied later by `events process`;
    unmatched: stored, no active integration names that account; duplicate: already stored,
    nothing changed; ignored: an event type this service does not use (nothing stored)."""

    status: Literal["processed", "pending", "unmatched", "duplicate", "ignored"]
    raw_event_id: int | None = None


class DailyMetric(msgspec.Struct):
    day: date
    kind: str
    total: int
    event_count: int


class DayTotals(msgspec.Struct):
    day: date
    totals: dict[str, int]
    event_counts: dict[str, int]


class DailyStats(msgspec.Struct):
    from_: date = msgspec.field(name="from")
    to: date = msgspec.field(name="to")
    days: list[DayTotals] = msgspec.field(default_factory=list)


# ---- goals ------------------------------------------------------------------


class GoalPeriodResult(msgspec.Struct):
    """One period of a goal: [period_start, period_end) in UTC, its progress and whether it met the target."""

    period_start: date
    period_end: date
    progress: int
    target: int
    met: bool


class GoalRow(msgspec.Struct):
    id: UUID
    title: str
    metric_kind: str
    target: int
    period: str
    status: str
    start_date: date
    end_date: date | None
    created_at: datetime
    updated_at: datetime
    version: int
    period_start: date
    period_end: date
    progress: int


class GoalProgress(msgspec.Struct):
    """The current UTC period [period_start, period_end) and what events add up to in it."""

    period_start: date
    period_end: date
    value: int
    target: int
    percent: int
    achieved: bool


class Goal(msgspec.Struct):
    id: UUID
    title: str
    metric_kind: str
    target: int
    period: str
    status: str
    start_date: date
    end_date: date | None
    progress: GoalProgress
    created_at: datetime
    updated_at: datetime
    version: int

    @classmethod
    def from_row(cls, row: GoalRow) -> Goal:
        progress = GoalProgress(period_start=row.period_start, period_end=row.period_end,
                                value=row.progress, target=row.target,
                                percent=min(100, row.progress * 100 // row.target),
                                achieved=row.progress >= row.target)
        return cls(id=row.id, title=row.title, metric_kind=row.metric_kind, target=row.target,
                   period=row.period, status=row.status, start_date=row.start_date, end_date=row.end_date,
                   progress=progress, created_at=row.created_at, updated_at=row.updated_at,
                   version=row.version)


class GoalCreate(msgspec.Struct, forbid_unknown_fields=True):
    title: GoalTitle
    metric_kind: EventKind
    target: Target
    period: GoalPeriod = "daily"
    start_date: date | None = None
    end_date: date | None = None

    def __post_init__(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValueError("end_date must not be before start_date")


class GoalPatch(msgspec.Struct, forbid_unknown_fields=True):
    """metric_kind is fixed once created (a different metric is a different goal)."""

    title: GoalTitle | UnsetType = UNSET
    target: Target | UnsetType = UNSET
    period: GoalPeriod | UnsetType = UNSET
    status: GoalStatus | UnsetType = UNSET
    start_date: date | UnsetType = UNSET
    end_date: date | UnsetType | None = UNSET

    def __post_init__(self) -> None:
        if isinstance(self.start_date, date) and isinstance(self.end_date, date) \
                and self.end_date < self.start_date:
            raise ValueError("end_date must not be before start_date")


describe_constraints({
    "pets_energy_chk": "energy must be between 0 and 100",
    "pets_hunger_chk": "hunger must be between 0 and 100",
    "pets_level_chk": "level must be at least 1",
    "pets_xp_chk": "xp must not be negative",
    "pets_traits_chk": "traits must be a JSON object",
    "pets_traits_size_chk": f"traits is too large (at most {json_size.TRAITS_MAX} bytes as stored)",
    "events_raw_payload_size_chk": f"payload is too large (at most {json_size.PAYLOAD_MAX} bytes as stored)",
    "pets_name_chk": "name must be 1-50 characters",
    "pets_species_chk": "species must be 1-32 characters",
    "integrations_user_id_provider_key": "an integration with this provider is already connected; revoke it first",
    "integrations_provider_external_account_id_key":
        "this provider account is already connected to an account",
    "goals_dates_chk": "end_date must not be before start_date",
    "goals_target_chk": "target must be greater than 0",
    "goals_title_chk": "title must be 1-200 characters",
})
