"""Policy documents per tenant, versioned: every save is a new row; the highest version is live."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from saleor_cs_app.care.policy_io import DEFAULT_POLICY
from saleor_cs_app.care.stored_policy import parse_stored_policy
from saleor_cs_app.store.models import PolicyVersion


def live(session: Session, tenant_id: int) -> PolicyVersion | None:
    return session.scalar(
        select(PolicyVersion)
        .where(PolicyVersion.tenant_id == tenant_id)
        .order_by(PolicyVersion.version.desc())
        .limit(1)
    )


def save(session: Session, tenant_id: int, document: dict, *, by: str, now: datetime) -> PolicyVersion:
    current = session.scalar(select(func.max(PolicyVersion.version)).where(PolicyVersion.tenant_id == tenant_id))
    row = PolicyVersion(
        tenant_id=tenant_id, version=(current or 0) + 1, document=document, created_at=now, created_by=by
    )
    session.add(row)
    session.flush()
    return row


def history(session: Session, tenant_id: int, limit: int = 20) -> list[PolicyVersion]:
    return list(
        session.scalars(
            select(PolicyVersion)
            .where(PolicyVersion.tenant_id == tenant_id)
            .order_by(PolicyVersion.version.desc())
            .limit(limit)
        )
    )


def ensure_default(session: Session, tenant_id: int, now: datetime) -> None:
    """A fresh install gets the default policy so the app is useful before anyone configures it."""
    if live(session, tenant_id) is not None:
        return
    from saleor_cs_app.care.policy_io import DEFAULT_POLICY, policy_to_dict

    save(session, tenant_id, policy_to_dict(DEFAULT_POLICY), by="installation", now=now)


def load(session: Session, tenant_id: int):
    """The live policy, parsed; the default policy when none was saved. A saved rule that checks added
    since refuse is left out (care/stored_policy.py); `load_with_skipped` also names it for the merchant."""
    return load_with_skipped(session, tenant_id)[0]


def load_with_skipped(session: Session, tenant_id: int):
    row = live(session, tenant_id)
    return parse_stored_policy(row.document) if row is not None else (DEFAULT_POLICY, ())
