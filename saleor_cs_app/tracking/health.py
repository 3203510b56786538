"""Is each of the merchant's tracking sources still connected? Judged from what the app already holds.

A source is disconnected when
- its service refused the app's key (401/403) on the latest call made with that key: the merchant
  revoked it, or the service's account lapsed (every source), or
- AfterShip: parcels were registered with AfterShip more than WEBHOOK_SILENCE ago and no signed
  webhook has arrived since. AfterShip sends a tracking's first update within hours of its creation,
  so that silence means the webhook URL was removed in AfterShip or its secret changed there (a
  wrongly signed webhook is refused before anything is recorded).

A DHL outage (5xx, timeouts) is not a disconnection: the merchant can do nothing about it, and the
poller already waits it out.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from saleor_cs_app.store import tracking_connections
from saleor_cs_app.store.tracking_models import TrackingEventSeen, TrackingRegistration
from saleor_cs_app.tracking import aftership, dhl

WEBHOOK_SILENCE = timedelta(days=2)


class Reason(enum.Enum):
    KEY_REFUSED = "key_refused"
    WEBHOOKS_SILENT = "webhooks_silent"


@dataclass(frozen=True)
class Disconnected:
    source: str  # aftership | dhl
    reason: Reason
    since: datetime  # the first refusal, or the oldest registration AfterShip has sent nothing after
    detail: str = ""  # the service's own words when it refused the key


def disconnected_sources(session: Session, tenant_id: int, now: datetime) -> list[Disconnected]:
    found = []
    for provider in (aftership.NAME, dhl.NAME):
        row = tracking_connections.find(session, tenant_id, provider)
        if row is None:
            continue
        if row.key_refused_since is not None:
            found.append(Disconnected(provider, Reason.KEY_REFUSED, row.key_refused_since, row.key_refusal or ""))
        elif provider == aftership.NAME:
            unheard = _oldest_registration_without_webhook(session, tenant_id)
            if webhooks_silent(unheard, now):
                found.append(Disconnected(provider, Reason.WEBHOOKS_SILENT, unheard))
    return found


def webhooks_silent(oldest_unheard_registration: datetime | None, now: datetime) -> bool:
    return oldest_unheard_registration is not None and oldest_unheard_registration <= now - WEBHOOK_SILENCE


def _oldest_registration_without_webhook(session: Session, tenant_id: int) -> datetime | None:
    """When the oldest tracking registered after AfterShip's latest webhook (any webhook: the URL works) was made."""
    last_webhook = session.scalar(
        select(func.max(TrackingEventSeen.received_at)).where(
            TrackingEventSeen.tenant_id == tenant_id, TrackingEventSeen.provider == aftership.NAME
        )
    )
    query = select(func.min(TrackingRegistration.updated_at)).where(
        TrackingRegistration.tenant_id == tenant_id,
        TrackingRegistration.provider == aftership.NAME,
        TrackingRegistration.state == "done",
    )
    if last_webhook is not None:
        query = query.where(TrackingRegistration.updated_at > last_webhook)
    return session.scalar(query)  # min() keeps the column type: a UTC datetime on SQLite too
