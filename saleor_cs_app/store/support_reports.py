"""Customer reports, their open lines and photos, and the look-up attempts the rate limit counts."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from saleor_cs_app.store.models import SupportAttempt, SupportOpenLine, SupportPhoto, SupportReport
from saleor_cs_app.store.upsert import insert_ignore


class LineAlreadyReported(Exception):
    def __init__(self, line_id: str):
        super().__init__(line_id)
        self.line_id = line_id


def hold_lines(session: Session, tenant_id: int, order_id: str, report_id: str, line_ids: list[str]) -> None:
    """Claim the lines for this report; a line held by another open report raises (the unique key decides)."""
    for line_id in line_ids:
        row = {"tenant_id": tenant_id, "order_id": order_id, "line_id": line_id, "report_id": report_id}
        if not insert_ignore(session, SupportOpenLine, row):
            raise LineAlreadyReported(line_id)


def release_lines(session: Session, report_id: str) -> None:
    session.execute(delete(SupportOpenLine).where(SupportOpenLine.report_id == report_id))


def held_lines(session: Session, tenant_id: int, order_id: str) -> set[str]:
    return set(
        session.scalars(
            select(SupportOpenLine.line_id).where(
                SupportOpenLine.tenant_id == tenant_id, SupportOpenLine.order_id == order_id
            )
        )
    )


def for_order(session: Session, tenant_id: int, order_id: str) -> list[SupportReport]:
    return list(
        session.scalars(
            select(SupportReport)
            .where(SupportReport.tenant_id == tenant_id, SupportReport.order_id == order_id)
            .order_by(SupportReport.created_at)
        )
    )


def of_incident(session: Session, tenant_id: int, incident_id: str, *, lock: bool = False) -> SupportReport | None:
    query = select(SupportReport).where(SupportReport.tenant_id == tenant_id, SupportReport.incident_id == incident_id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    return session.scalar(query)


def get_for_order(session: Session, tenant_id: int, order_id: str, report_id: str, *, lock: bool = False):
    query = select(SupportReport).where(
        SupportReport.tenant_id == tenant_id, SupportReport.order_id == order_id, SupportReport.id == report_id
    )
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    return session.scalar(query)


def photos_of(session: Session, tenant_id: int, report_id: str) -> list[SupportPhoto]:
    return list(
        session.scalars(
            select(SupportPhoto)
            .where(SupportPhoto.tenant_id == tenant_id, SupportPhoto.report_id == report_id)
            .order_by(SupportPhoto.created_at, SupportPhoto.id)
        )
    )


def photo(session: Session, tenant_id: int, photo_id: str) -> SupportPhoto | None:
    return session.scalar(select(SupportPhoto).where(SupportPhoto.tenant_id == tenant_id, SupportPhoto.id == photo_id))


def count_attempt(session: Session, keys: list[str], now: datetime, window: timedelta) -> dict[str, int]:
    """Record one attempt under each key; returns how many each key has in the window, this one included."""
    counts = {}
    for key in keys:
        session.add(SupportAttempt(key=key, at=now))
        session.flush()
        counts[key] = int(
            session.scalar(
                select(func.count(SupportAttempt.id)).where(SupportAttempt.key == key, SupportAttempt.at > now - window)
            )
            or 0
        )
    # Old attempts are of no use to the limit; dropped as we go so the table stays small.
    session.execute(delete(SupportAttempt).where(SupportAttempt.at <= now - window))
    return counts
