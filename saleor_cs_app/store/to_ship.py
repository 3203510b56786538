"""What each tracked order still has to ship, per line and warehouse, and the orders the "due to ship"
list reads (care/due_to_ship.py decides which of them are due)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from saleor_cs_app.care.due_to_ship import LineToShip
from saleor_cs_app.care.model import IncidentKind
from saleor_cs_app.store.models import Incident, TrackedOrder
from saleor_cs_app.store.to_ship_models import UnshippedLine


def replace(session: Session, tenant_id: int, order_id: str, lines: list[LineToShip]) -> None:
    """Make the order's rows equal `lines`; the caller holds the tracked order's lock. Rows that stay
    the same are left alone, so most events (a note, a payment) write nothing here."""
    existing = list(
        session.scalars(select(UnshippedLine).where(UnshippedLine.tenant_id == tenant_id, UnshippedLine.order_id == order_id))
    )
    if sorted(map(_key, existing)) == sorted(map(_key, lines)):
        return
    for row in existing:
        session.delete(row)
    session.add_all(
        UnshippedLine(
            tenant_id=tenant_id,
            order_id=order_id,
            line_id=line.line_id,
            warehouse_id=line.warehouse_id,
            warehouse_name=line.warehouse_name,
            quantity=line.quantity,
        )
        for line in lines
    )
    session.flush()


def _key(line) -> tuple:
    return (line.line_id, line.warehouse_id or "", line.warehouse_id is None, line.warehouse_name or "", line.quantity)


def unshipped_before(
    session: Session, tenant_id: int, ship_by_before: datetime
) -> list[tuple[TrackedOrder, list[UnshippedLine]]]:
    """Orders with something unshipped whose ship-by is before `ship_by_before`, each with its rows.

    Reads only orders that still have something to ship (this table), never the tenant's history."""
    found: dict[str, tuple[TrackedOrder, list[UnshippedLine]]] = {}
    rows = session.execute(
        select(UnshippedLine, TrackedOrder)
        .join(
            TrackedOrder,
            (TrackedOrder.tenant_id == UnshippedLine.tenant_id) & (TrackedOrder.order_id == UnshippedLine.order_id),
        )
        .where(UnshippedLine.tenant_id == tenant_id, TrackedOrder.ship_by < ship_by_before)
        .order_by(UnshippedLine.id)
    )
    for line, order in rows:
        found.setdefault(order.order_id, (order, []))[1].append(line)
    return list(found.values())


def late_shipment_incidents(session: Session, tenant_id: int, order_ids: list[str]) -> dict[str, str]:
    """Order id → its late-shipment incident's id, for the orders that have one (in any state)."""
    if not order_ids:
        return {}
    rows = session.execute(
        select(Incident.order_id, Incident.id).where(
            Incident.tenant_id == tenant_id,
            Incident.kind == IncidentKind.LATE_SHIPMENT.value,
            Incident.fulfillment_id == "",
            Incident.order_id.in_(order_ids),
        )
    )
    return {order_id: incident_id for order_id, incident_id in rows}
