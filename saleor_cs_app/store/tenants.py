"""Tenants (installed Saleor instances): app-sdk's APL, keyed by Saleor API URL."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from saleor_cs_app.store.models import Tenant


def find_active(session: Session, saleor_api_url: str) -> Tenant | None:
    tenant = session.scalar(select(Tenant).where(Tenant.saleor_api_url == saleor_api_url))
    return tenant if tenant is not None and tenant.is_active else None


def get(session: Session, tenant_id: int) -> Tenant:
    return session.get_one(Tenant, tenant_id)


def save_installation(
    session: Session, *, saleor_api_url: str, app_id: str, token_ciphertext: bytes, jwks: str, now: datetime
) -> tuple[Tenant, bool]:
    """Insert or replace; a re-install replaces the token and re-activates. Returns (tenant, created)."""
    tenant = session.scalar(select(Tenant).where(Tenant.saleor_api_url == saleor_api_url).with_for_update())
    created = tenant is None
    if tenant is None:
        tenant = Tenant(saleor_api_url=saleor_api_url)
        session.add(tenant)
    tenant.app_id = app_id
    tenant.token_ciphertext = token_ciphertext
    tenant.jwks = jwks
    tenant.jwks_fetched_at = now
    tenant.installed_at = now
    tenant.uninstalled_at = None
    session.flush()
    return tenant, created


def mark_uninstalled(session: Session, tenant_id: int, now: datetime) -> None:
    """Disable the tenant and drop its token; its history stays for the merchant's records."""
    tenant = session.get_one(Tenant, tenant_id)
    tenant.token_ciphertext = None
    tenant.uninstalled_at = now


def replace_jwks(session: Session, tenant_id: int, jwks: str, now: datetime) -> None:
    tenant = session.get_one(Tenant, tenant_id)
    tenant.jwks = jwks
    tenant.jwks_fetched_at = now


def all_active(session: Session) -> list[Tenant]:
    return [t for t in session.scalars(select(Tenant).where(Tenant.uninstalled_at.is_(None))) if t.is_active]


def set_mail_server(session: Session, tenant_id: int, ciphertext: bytes | None) -> None:
    session.get_one(Tenant, tenant_id).mail_server_ciphertext = ciphertext
