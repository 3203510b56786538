"""The shop's brand: read for the page and the e-mails, written from the dashboard."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from saleor_cs_app.store.brand_models import ShopBrand


@dataclass(frozen=True)
class Brand:
    """What heads the customer's page and e-mails."""

    tenant_id: int
    name: str
    accent: str | None
    has_logo: bool
    version: int
    email: str | None = None
    phone: str | None = None
    url: str | None = None

    @property
    def has_contacts(self) -> bool:
        return bool(self.email or self.phone or self.url)


def find(session: Session, tenant_id: int) -> ShopBrand | None:
    return session.get(ShopBrand, tenant_id)


def brand(session: Session, tenant_id: int, fallback_name: str) -> Brand:
    """The merchant's brand; the name defaults to Saleor's shop name, else `fallback_name` (the sender's).
    Read on every page and e-mail: the logo's bytes stay in the database (brand_assets serves them)."""
    row = session.execute(
        select(
            ShopBrand.name,
            ShopBrand.saleor_name,
            ShopBrand.accent,
            ShopBrand.logo.is_not(None).label("has_logo"),
            ShopBrand.version,
            ShopBrand.contacts,
        ).where(ShopBrand.tenant_id == tenant_id)
    ).one_or_none()
    if row is None:
        return Brand(tenant_id=tenant_id, name=fallback_name, accent=None, has_logo=False, version=0)
    contacts = row.contacts or {}
    return Brand(
        tenant_id=tenant_id,
        name=row.name or row.saleor_name or fallback_name,
        accent=row.accent,
        has_logo=bool(row.has_logo),
        version=row.version,
        email=contacts.get("email"),
        phone=contacts.get("phone"),
        url=contacts.get("url"),
    )


def for_update(session: Session, tenant_id: int, now: datetime) -> ShopBrand:
    row = session.get(ShopBrand, tenant_id, with_for_update=True)
    if row is None:
        row = ShopBrand(tenant_id=tenant_id, version=1, contacts={}, updated_at=now)
        session.add(row)
    return row


def changed(row: ShopBrand, now: datetime) -> None:
    row.version = (row.version or 0) + 1
    row.updated_at = now


def saleor_name(session: Session, tenant_id: int) -> str | None:
    return session.scalar(select(ShopBrand.saleor_name).where(ShopBrand.tenant_id == tenant_id))


def remember_saleor_name(session: Session, tenant_id: int, name: str, now: datetime) -> None:
    """Saleor's shop name (shop { name }), the brand's default name on the customer's page and in e-mails."""
    if name and saleor_name(session, tenant_id) != name[:200]:
        for_update(session, tenant_id, now).saleor_name = name[:200]
