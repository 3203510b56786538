"""The monthly goodwill budget and per-customer counts, reserved atomically.

Checking and reserving happen under a lock on the (tenant, month, currency)
row, so concurrent workers on PostgreSQL queue up there instead of both
seeing room for one more gift card.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from saleor_cs_app.care.model import BudgetState, CustomerHistory
from saleor_cs_app.store.models import BudgetLock, BudgetReservation
from saleor_cs_app.store.upsert import insert_ignore

HELD = ("reserved", "spent")


def month_of(now: datetime) -> str:
    return now.strftime("%Y-%m")


def lock_month(session: Session, tenant_id: int, month: str, currency: str) -> None:
    key = {"tenant_id": tenant_id, "month": month, "currency": currency}
    insert_ignore(session, BudgetLock, key)
    session.execute(select(BudgetLock.id).filter_by(**key).with_for_update())


def state(session: Session, tenant_id: int, month: str, currency: str) -> BudgetState:
    used = session.scalar(
        select(func.coalesce(func.sum(BudgetReservation.amount), 0)).where(
            BudgetReservation.tenant_id == tenant_id,
            BudgetReservation.month == month,
            BudgetReservation.currency == currency,
            BudgetReservation.state.in_(HELD),
        )
    )
    return BudgetState(used={currency: Decimal(used)})


def customer_history(
    session: Session, tenant_id: int, email: str | None, *, days: int, now: datetime
) -> CustomerHistory:
    if not email:
        return CustomerHistory(0)
    count = session.scalar(
        select(func.count(BudgetReservation.id)).where(
            BudgetReservation.tenant_id == tenant_id,
            func.lower(BudgetReservation.customer_email) == email.lower(),
            BudgetReservation.state.in_(HELD),
            BudgetReservation.created_at >= now - timedelta(days=days),
        )
    )
    return CustomerHistory(int(count or 0))


def reserve(
    session: Session,
    *,
    tenant_id: int,
    incident_id: str,
    email: str | None,
    month: str,
    currency: str,
    amount: Decimal,
    now: datetime,
) -> None:
    session.add(
        BudgetReservation(
            tenant_id=tenant_id,
            incident_id=incident_id,
            customer_email=email,
            month=month,
            currency=currency,
            amount=amount,
            state="reserved",
            created_at=now,
        )
    )


def settle(session: Session, incident_id: str, new_state: str) -> None:
    """Mark the incident's reservation spent (goodwill created) or released (declined, failed)."""
    session.execute(
        update(BudgetReservation)
        .where(BudgetReservation.incident_id == incident_id, BudgetReservation.state == "reserved")
        .values(state=new_state)
    )


def spent_by_currency(session: Session, tenant_id: int, month: str) -> dict[str, Decimal]:
    rows = session.execute(
        select(BudgetReservation.currency, func.sum(BudgetReservation.amount))
        .where(
            BudgetReservation.tenant_id == tenant_id,
            BudgetReservation.month == month,
            BudgetReservation.state.in_(HELD),
        )
        .group_by(BudgetReservation.currency)
    )
    return {currency: Decimal(total) for currency, total in rows}
