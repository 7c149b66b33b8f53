"""/events (the caller's normalized events) and /stats/daily (per-day totals from metrics_cache)."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime
from typing import Annotated, Any

from litestar import Controller, Request, get
from litestar.params import FromQuery, QueryParameter

from service.errors import check_range
from service.http.deps import READ_REPLICA, Conn, CurrentCaller
from service.http.input_errors import require_rfc3339
from service.http.pagination import Cursor, Limit, Page, decode_cursor, page
from service.quest import repo
from service.quest.models import DailyStats, DayTotals, Event, EventKind

MAX_STATS_DAYS = 366
DEFAULT_STATS_DAYS = 30


def _utc(moment: datetime | None) -> datetime | None:
    """A time without an offset is taken as UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


class EventController(Controller):
    path = "/events"
    tags = ["quest"]

    @get("", dependencies=READ_REPLICA,
         summary="The caller's events, newest first, in [from, to), optionally of one kind")
    async def list_events(
        self, request: Request[Any, Any, Any], conn: Conn, caller: CurrentCaller,
        from_: Annotated[datetime | None, QueryParameter(name="from", description="inclusive, RFC 3339")] = None,
        to: Annotated[datetime | None, QueryParameter(description="exclusive, RFC 3339")] = None,
        kind: FromQuery[EventKind | None] = None,
        limit: Limit = 50,
        before: Cursor = None,
    ) -> Page[Event]:
        require_rfc3339(request, "from", "to")
        check_range(_utc(from_), _utc(to))
        key = decode_cursor(before, tuple[datetime, int])
        rows = await repo.list_events(conn, caller.id, _utc(from_), _utc(to), kind, *(key or (None, None)),
                                      limit + 1)
        return page(rows, limit, lambda row: (row.occurred_at, row.id))


class StatsController(Controller):
    path = "/stats"
    tags = ["quest"]

    @get("/daily", dependencies=READ_REPLICA,
         summary="Per-day totals per event kind for days in [from, to] (UTC days; at most 366)")
    async def daily(
        self, conn: Conn, caller: CurrentCaller,
        from_: Annotated[date | None, QueryParameter(name="from", description="first day; default: to - 29")] = None,
        to: Annotated[date | None, QueryParameter(description="last day, inclusive; default today (UTC)")] = None,
    ) -> DailyStats:
        last = to or datetime.now(UTC).date()
        # by ordinal: near 0001-01-01, ``last - timedelta(...)`` overflows (a 500 schemathesis found)
        first = from_ or date.fromordinal(max(1, last.toordinal() - (DEFAULT_STATS_DAYS - 1)))
        check_range(first, last, max_days=MAX_STATS_DAYS)
        totals: dict[date, dict[str, int]] = defaultdict(dict)
        counts: dict[date, dict[str, int]] = defaultdict(dict)
        for row in await repo.list_daily_stats(conn, caller.id, first, last):
            totals[row.day][row.kind] = row.total
            counts[row.day][row.kind] = row.event_count
        return DailyStats(from_=first, to=last,
                          days=[DayTotals(day=day, totals=totals[day], event_counts=counts[day]) for day in totals])
