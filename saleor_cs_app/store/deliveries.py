"""Webhook deliveries as rows: the durable record written before Saleor gets its 2xx.

The row is also the queue: a delivery in state `received` with no
failed attempt is work to do (jobs/delivery_pump.py). Storing it is the one
write on the acknowledgement path, so it bypasses the ORM and the engine
(store/row_writer.py): their overhead cost more than the write itself, and
concurrent deliveries share one commit.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.engine import Connection

from saleor_cs_app.store.db import Database
from saleor_cs_app.store.models import WebhookDelivery
from saleor_cs_app.store.row_writer import AlreadyStored, BatchedInsert, StoreUnavailable

__all__ = ["AlreadyStored", "StoreUnavailable", "insert_received", "unstarted", "OLDEST_UNSTARTED"]

_table = WebhookDelivery.__table__
_COLUMNS = ("tenant_id", "event", "body_sha256", "body", "received_at", "state", "attempts")


def batched_insert(db: Database) -> BatchedInsert:
    return db.batched_insert(_table.name, _COLUMNS, unique=("tenant_id", "body_sha256"), returning="id")


def insert_received(db: Database, *, tenant_id: int, event: str, digest: str, body: str, now: datetime) -> int:
    """Store a new delivery and return its id.

    Raises AlreadyStored when these bytes were stored before, StoreUnavailable when
    the database cannot take the write.
    """
    return batched_insert(db).insert((tenant_id, event, digest, body, db.rows.time(now), "received", 0))


# Stored and never tried, in arrival order: the order of ix_webhook_deliveries_pending, so a
# look at the queue reads that index's first entries instead of sorting the backlog.
_NEVER_TRIED = (_table.c.state == "received", _table.c.attempts == 0)
_ARRIVAL = (_table.c.received_at, _table.c.id)

_UNSTARTED = select(_table.c.id).where(*_NEVER_TRIED).order_by(*_ARRIVAL).limit(bindparam("limit"))

# The oldest one no other worker holds, locked for processing in the caller's transaction: workers
# on one PostgreSQL each take the next one, never the same (SQLite has one writer, which the
# transaction holds, and ignores FOR UPDATE).
OLDEST_UNSTARTED = (
    select(WebhookDelivery).where(*_NEVER_TRIED).order_by(*_ARRIVAL).limit(1).with_for_update(skip_locked=True)
)


def unstarted(conn: Connection, *, limit: int) -> list[int]:
    """Ids of deliveries stored but never tried, oldest first.

    Failed deliveries (attempts > 0) are not here: their retry is scheduled with backoff.
    """
    return list(conn.execute(_UNSTARTED, {"limit": limit}).scalars())
