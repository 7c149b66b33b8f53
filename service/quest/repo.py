"""One typed function per SQL file under sql/quest/ (bodies come from @sql)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from service.db.queries import Connection, sql
from service.quest.models import (
    DailyMetric,
    Event,
    GoalPeriodResult,
    GoalRow,
    Integration,
    IntegrationSecrets,
    PetRow,
    RawEvent,
    RawInserted,
)

# ---- pets


@sql("quest/insert_pet")
async def insert_pet(conn: Connection, user_id: UUID, name: str, species: str, energy: int, hunger: int,
                     traits: dict[str, Any]) -> PetRow: ...


@sql("quest/get_pet")
async def get_pet(conn: Connection, user_id: UUID, pet_id: UUID) -> PetRow | None: ...


@sql("quest/list_pets")
async def list_pets(conn: Connection, user_id: UUID, after_created_at: datetime | None, after_id: UUID | None,
                    limit: int) -> list[PetRow]: ...


@sql("quest/update_pet")
async def update_pet(
    conn: Connection, user_id: UUID, pet_id: UUID,
    set_name: bool, name: str | None, set_species: bool, species: str | None,
    set_energy: bool, energy: int | None, set_hunger: bool, hunger: int | None,
    set_traits: bool, traits: dict[str, Any] | None,
    if_match: list[int] | None,
) -> PetRow | None: ...


@sql("quest/delete_pet")
async def delete_pet(conn: Connection, user_id: UUID, pet_id: UUID, if_match: list[int] | None) -> UUID | None: ...


@sql("quest/apply_event_to_pets")
async def apply_event_to_pets(conn: Connection, user_id: UUID, event_id: int, xp_delta: int, energy_delta: int,
                              hunger_delta: int) -> int: ...


# ---- integrations


@sql("quest/insert_integration")
async def insert_integration(
    conn: Connection, user_id: UUID, provider: str, external_account_id: str, access_token_enc: bytes,
    refresh_token_enc: bytes | None, token_key_id: str, scopes: list[str], expires_at: datetime | None,
) -> Integration: ...


@sql("quest/get_integration")
async def get_integration(conn: Connection, user_id: UUID, integration_id: UUID) -> Integration | None: ...


@sql("quest/list_integrations")
async def list_integrations(conn: Connection, user_id: UUID, before_created_at: datetime | None,
                            before_id: UUID | None, limit: int) -> list[Integration]: ...


@sql("quest/adopt_unmatched_raw_events")
async def adopt_unmatched_raw_events(conn: Connection, user_id: UUID, provider: str, external_account_id: str,
                                     window: timedelta) -> list[int]: ...


@sql("quest/lock_integration_secrets")
async def lock_integration_secrets(conn: Connection, user_id: UUID,
                                   integration_id: UUID) -> IntegrationSecrets | None: ...


@sql("quest/rotate_integration")
async def rotate_integration(conn: Connection, user_id: UUID, integration_id: UUID, access_token_enc: bytes,
                             refresh_token_enc: bytes | None, token_key_id: str, set_scopes: bool,
                             scopes: list[str] | None, set_expires_at: bool,
                             expires_at: datetime | None) -> Integration | None: ...


@sql("quest/revoke_integration")
async def revoke_integration(conn: Connection, user_id: UUID, integration_id: UUID,
                             if_match: list[int] | None) -> Integration | None: ...


# ---- raw and normalized events


@sql("quest/insert_raw_event")
async def insert_raw_event(conn: Connection, provider: str, provider_event_id: str, event_type: str,
                           external_account_id: str, payload: dict[str, Any]) -> RawInserted | None: ...


@sql("quest/get_raw_event_id")
async def get_raw_event_id(conn: Connection, provider: str, provider_event_id: str) -> int | None: ...


@sql("quest/claim_raw_event")
async def claim_raw_event(conn: Connection, raw_event_id: int) -> RawEvent | None: ...


@sql("quest/mark_raw_processed")
async def mark_raw_processed(conn: Connection, raw_event_id: int) -> None: ...


@sql("quest/list_pending_raw")
async def list_pending_raw(conn: Connection, after_id: int, limit: int) -> list[int]: ...


@sql("quest/insert_event")
async def insert_event(conn: Connection, user_id: UUID, raw_event_id: int, kind: str, value: int,
                       occurred_at: datetime, metadata: dict[str, Any]) -> int | None: ...


@sql("quest/list_events")
async def list_events(conn: Connection, user_id: UUID, from_: datetime | None, to: datetime | None,
                      kind: str | None, before_occurred_at: datetime | None, before_id: int | None,
                      limit: int) -> list[Event]: ...


@sql("quest/add_daily_metric")
async def add_daily_metric(conn: Connection, user_id: UUID, kind: str, occurred_at: datetime, value: int) -> None: ...


@sql("quest/list_daily_stats")
async def list_daily_stats(conn: Connection, user_id: UUID, from_: date, to: date) -> list[DailyMetric]: ...


# ---- goals


@sql("quest/insert_goal")
async def insert_goal(conn: Connection, user_id: UUID, title: str, metric_kind: str, target: int, period: str,
                      start_date: date | None, end_date: date | None) -> UUID: ...


@sql("quest/list_goals")
async def list_goals(conn: Connection, user_id: UUID, after_created_at: datetime | None, after_id: UUID | None,
                     limit: int, goal_id: UUID | None) -> list[GoalRow]: ...


@sql("quest/goal_history")
async def goal_history(conn: Connection, user_id: UUID, goal_id: UUID, before: date | None,
                       limit: int) -> list[GoalPeriodResult]: ...


@sql("quest/update_goal")
async def update_goal(
    conn: Connection, user_id: UUID, goal_id: UUID,
    set_title: bool, title: str | None, set_target: bool, target: int | None,
    set_period: bool, period: str | None, set_status: bool, status: str | None,
    set_start_date: bool, start_date: date | None, set_end_date: bool, end_date: date | None,
    if_match: list[int] | None,
) -> UUID | None: ...


@sql("quest/delete_goal")
async def delete_goal(conn: Connection, user_id: UUID, goal_id: UUID, if_match: list[int] | None) -> UUID | None: ...


@sql("quest/grant_daily_xp")
async def grant_daily_xp(conn: Connection, user_id: UUID, xp_requested: int, xp_withheld: int,
                         daily_cap: int) -> int: ...


@sql("quest/purge_daily_xp")
async def purge_daily_xp(conn: Connection, keep_days: int, batch_size: int) -> int: ...
