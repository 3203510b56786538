"""Finding an order without the e-mail: order number + e-mail address, rate-limited per IP and per
order. An unknown order and a wrong address get the very same answer, so the form cannot be used to
learn which order numbers exist."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from saleor_cs_app.runtime import Runtime
from saleor_cs_app.signing import mac, same
from saleor_cs_app.store import support_reports
from saleor_cs_app.store.models import TrackedOrder

WINDOW = timedelta(minutes=15)
PER_IP = 20
PER_ORDER = 5


class TooManyAttempts(Exception):
    pass


def shop_key(secret_key: str, tenant_id: int, saleor_api_url: str) -> str:
    """The public name of a shop's look-up page: `<tenant id>-<MAC>`, so ids cannot be enumerated."""
    return f"{tenant_id}-{mac(secret_key, 'shop', str(tenant_id), saleor_api_url)[:16]}"


def form_scope(key: str) -> str:
    """The look-up form's CSRF scope, wherever the form is shown (the find page, an expired link's page)."""
    return f"find:{key}"


def tenant_of_shop_key(secret_key: str, key: str, saleor_api_url_of) -> int | None:
    tenant_part, _, _ = key.partition("-")
    if not tenant_part.isdigit() or len(key) > 40:
        return None
    tenant_id = int(tenant_part)
    api_url = saleor_api_url_of(tenant_id)
    if api_url is None or not same(shop_key(secret_key, tenant_id, api_url), key):
        return None
    return tenant_id


def find_order(runtime: Runtime, tenant_id: int, number: str, email: str, ip: str) -> str | None:
    """The order id when number and address match; raises TooManyAttempts past the limits."""
    number = number.strip().lstrip("#")[:40]
    email = email.strip().lower()[:320]
    with runtime.db.transaction() as session:
        counts = support_reports.count_attempt(
            session, [f"ip:{ip}", f"order:{tenant_id}:{number}"], runtime.clock(), WINDOW
        )
    if counts[f"ip:{ip}"] > PER_IP or counts[f"order:{tenant_id}:{number}"] > PER_ORDER:
        raise TooManyAttempts()
    with runtime.db.read() as session:
        found = session.execute(
            select(TrackedOrder.order_id, TrackedOrder.facts).where(
                TrackedOrder.tenant_id == tenant_id, TrackedOrder.number == number
            )
        ).first()
    stored = ((found.facts or {}).get("customer_email") or "").lower() if found else ""
    # Compared even when there is no order, so both answers take the same path.
    matches = same(stored or "\0", email) and bool(stored)
    return found.order_id if found and matches else None
