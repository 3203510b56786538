"""The learned transit histograms of one Saleor instance (care/transit.py): counted up as parcels report."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from saleor_cs_app.care.transit import Observation, Segment, roll_up
from saleor_cs_app.store.tracking_models import TransitCount
from saleor_cs_app.store.upsert import insert_ignore


def add(session: Session, tenant_id: int, observation: Observation) -> None:
    """Count one observation: one row per segment and value, created at 0 and counted up in place, so
    concurrent workers never lose a count (the UPDATE takes the row lock)."""
    key = {
        "tenant_id": tenant_id,
        "measure": observation.measure,
        "method": observation.segment.method,
        "carrier": observation.segment.carrier,
        "country": observation.segment.country,
        "value": observation.value,
    }
    insert_ignore(session, TransitCount, {**key, "count": 0})
    session.execute(
        update(TransitCount)
        .where(*(getattr(TransitCount, name) == value for name, value in key.items()))
        .values(count=TransitCount.count + 1)
        .execution_options(synchronize_session=False)
    )


def levels(session: Session, tenant_id: int):
    """Every histogram of the tenant, rolled up into its fallback levels (care.transit.roll_up)."""
    rows = session.execute(
        select(TransitCount.measure, TransitCount.method, TransitCount.carrier, TransitCount.country,
               TransitCount.value, TransitCount.count).where(TransitCount.tenant_id == tenant_id)
    )
    return roll_up((measure, Segment(method, carrier, country), value, count)
                   for measure, method, carrier, country, value, count in rows)
