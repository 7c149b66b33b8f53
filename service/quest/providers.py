"""What each provider sends: signature check, the delivery's id and account, normalization.

Both providers sign the raw request body with HMAC-SHA256 and the provider's
secret, sent as ``sha256=<hex>``:

- GitHub: the real push webhook.  ``X-Hub-Signature-256`` signs it,
  ``X-GitHub-Delivery`` is the event id, ``X-GitHub-Event`` its type (only
  ``push`` is stored; ``ping`` and others are acknowledged and ignored), and
  ``sender.id`` (the numeric GitHub user id, stable across renames) names
  the account.
- Fitbit: a documented activity payload ``{"id", "owner_id", "date",
  "steps"}`` signed in ``X-Fitbit-Signature-256``.  Real Fitbit subscription
  notifications carry no data (only "collection X changed for owner Y") and
  need an authenticated fetch from Fitbit's Web API, which this offline
  service cannot make; a fetcher would turn that data into this payload.
  ``steps`` are one activity's steps (an increment), not a day's total.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from typing import Annotated, Any, NamedTuple

import msgspec
from msgspec import Meta

from service.errors import PayloadTooLarge, Unauthorized, input_error, invalid
from service.http import json_size
from service.http.input_errors import body_errors
from service.http.problems import summary

MAX_COMMIT_IDS = 20  # commit ids kept in an event's metadata


class Delivery(NamedTuple):
    """A verified delivery: what the raw event row needs."""

    event_id: str
    event_type: str
    external_account_id: str
    payload: dict[str, Any]


class Normalized(NamedTuple):
    kind: str
    value: int
    occurred_at: datetime
    metadata: dict[str, Any]


# ---- payload shapes (unknown fields allowed: providers add fields) ---------------


class GitHubAccount(msgspec.Struct):
    id: int
    login: str = ""


# Bounds on what reaches events.metadata (events_metadata_size_chk): a SHA-1 or SHA-256 hex id,
# a ref, a repository's owner/name.
Sha = Annotated[str, Meta(max_length=64)]


class GitHubRepository(msgspec.Struct):
    full_name: Annotated[str, Meta(max_length=256)] = ""


class GitHubCommit(msgspec.Struct):
    id: Sha
    timestamp: datetime | None = None
    distinct: bool = True


class GitHubPush(msgspec.Struct):
    sender: GitHubAccount
    ref: Annotated[str, Meta(max_length=1024)] = ""
    before: Sha = ""
    after: Sha = ""
    repository: GitHubRepository | None = None
    commits: list[GitHubCommit] = msgspec.field(default_factory=list)
    head_commit: GitHubCommit | None = None


class FitbitActivity(msgspec.Struct):
    id: Annotated[str, Meta(min_length=1, max_length=200)]
    owner_id: Annotated[str, Meta(min_length=1, max_length=255)]
    date: date
    steps: Annotated[int, Meta(ge=0, le=1_000_000)]


SIGNATURE_HEADERS = {"github": "x-hub-signature-256", "fitbit": "x-fitbit-signature-256"}


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify_signature(secret: str, body: bytes, header: str | None) -> None:
    """401 unless ``header`` is ``sha256=<hex>`` of the body under ``secret`` (constant-time compare)."""
    if not header:
        raise Unauthorized("missing webhook signature")
    if not hmac.compare_digest(sign(secret, body).encode(), header.strip().encode()):
        raise Unauthorized("bad webhook signature")


def _decode(body: bytes, shape: type[Any]) -> tuple[dict[str, Any], Any]:
    try:
        payload = msgspec.json.decode(body)
        if not isinstance(payload, dict):
            raise msgspec.ValidationError("Expected `object`")
    except (msgspec.DecodeError, msgspec.ValidationError):
        errors = body_errors(body, shape)
        raise invalid(summary(errors), *errors) from None
    size = json_size.jsonb_size(payload)
    if size > json_size.PAYLOAD_MAX:  # events_raw_payload_size_chk
        raise PayloadTooLarge(f"payload is too large: {size} bytes as stored (jsonb), at most "
                              f"{json_size.PAYLOAD_MAX}", field="payload")
    try:
        return payload, msgspec.convert(payload, shape)
    except msgspec.ValidationError:
        errors = body_errors(body, shape)
        raise invalid(summary(errors), *errors) from None


def delivery(provider: str, headers: Mapping[str, str], body: bytes) -> Delivery | None:
    """The verified-body delivery to store; None for an event type that is acknowledged and ignored."""
    if provider == "github":
        event_type = headers.get("x-github-event", "")
        event_id = headers.get("x-github-delivery", "")
        if not event_type or not event_id or len(event_id) > 200:
            errors = [input_error("header", "X-GitHub-Event", "X-GitHub-Event is required", "missing")] \
                if not event_type else []
            if not event_id:
                errors.append(input_error("header", "X-GitHub-Delivery", "X-GitHub-Delivery is required", "missing"))
            elif len(event_id) > 200:
                errors.append(input_error("header", "X-GitHub-Delivery",
                                          "X-GitHub-Delivery must have at most 200 characters", "too_long"))
            raise invalid(summary(errors), *errors)
        if event_type != "push":
            return None
        payload, push = _decode(body, GitHubPush)
        return Delivery(event_id, "push", str(push.sender.id), payload)
    payload, activity = _decode(body, FitbitActivity)
    return Delivery(activity.id, "activity", activity.owner_id, payload)


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def normalize(provider: str, payload: dict[str, Any], received_at: datetime) -> Normalized | None:
    """The event a stored delivery means; None when it means nothing (a push of no new commits)."""
    if provider == "github":
        push = msgspec.convert(payload, GitHubPush)
        distinct = [c for c in push.commits if c.distinct]
        if not distinct:
            return None
        stamps = [c.timestamp for c in distinct if c.timestamp is not None]
        occurred = _utc(max(stamps, key=_utc)) if stamps else received_at
        return Normalized("commits", len(distinct), occurred, {
            "provider": "github",
            "repository": push.repository.full_name if push.repository else None,
            "ref": push.ref,
            "before": push.before,
            "after": push.after,
            "commit_ids": [c.id for c in distinct[:MAX_COMMIT_IDS]],
        })
    activity = msgspec.convert(payload, FitbitActivity)
    if activity.steps == 0:
        return None
    return Normalized("steps", activity.steps, datetime.combine(activity.date, time(0), UTC), {
        "provider": "fitbit",
        "activity_id": activity.id,
        "date": activity.date.isoformat(),
    })
