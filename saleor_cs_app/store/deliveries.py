"""Webhook deliveries as rows: the durable record written before Saleor gets its 2xx.

Core statements, not the ORM: storing a delivery is the one write on the
acknowledgement path, and the ORM's unit of work cost more than the write.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, insert, select
from sqlalchemy.engine import Connection, Row

from saleor_cs_app.store.db import Database
from saleor_cs_app.store.models import WebhookDelivery

_table = WebhookDelivery.__table__
_INSERT = insert(_table).returning(_table.c.id)
_FIND = select(_table.c.id, _table.c.state).where(
    _table.c.tenant_id == bindparam("tenant_id"), _table.c.body_sha256 == bindparam("digest")
)


def insert_received(db: Database, *, tenant_id: int, event: str, digest: str, body: str, now: datetime) -> int:
    """Store a new delivery; raises IntegrityError when these bytes were stored before."""
    values = {
        "tenant_id": tenant_id,
        "event": event,
        "body_sha256": digest,
        "body": body,
        "received_at": now,
        "state": "received",
        "attempts": 0,
    }
    return db.write_one(_INSERT, values)


def find(conn: Connection, tenant_id: int, digest: str) -> Row:
    """(id, state) of the delivery stored with this digest."""
    return conn.execute(_FIND, {"tenant_id": tenant_id, "digest": digest}).one()
