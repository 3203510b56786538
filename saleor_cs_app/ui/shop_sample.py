"""Message previews from the shop itself: its name, its channels' currencies, its most recent order.
The same shop facts give the channels' names, which the pages show where the app stores only a slug.

The built-in sample (notify.context.sample_context) supplies what a shop cannot: a promise broken by
three days, a gift card code. Everything the shop has replaces it. Saleor is asked at most every few
minutes per installation; when it cannot answer the preview still works, with the sample's values.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, replace

from sqlalchemy import select

from saleor_cs_app.notify.builtin import render_builtin
from saleor_cs_app.notify.context import MessageContext
from saleor_cs_app.notify.variables import template_variables
from saleor_cs_app.saleor.client import SaleorError
from saleor_cs_app.store import tenants
from saleor_cs_app.store.models import TrackedOrder

log = logging.getLogger(__name__)

SHOP_FACTS_SECONDS = 300
# Variables the built-in templates choose by (which file, which branch), not text they print.
_STRUCTURAL = frozenset({"language", "kind", "offer_type", "currency", "tracking_url", "next_step_url"})
_shop_cache: dict[int, tuple[float, "Shop"]] = {}


@dataclass(frozen=True)
class Shop:
    name: str | None
    currencies: tuple[str, ...]
    channel_names: tuple[tuple[str, str], ...] = ()  # (slug, name), as the dashboard shows channels

    def channel_name(self, slug: str) -> str:
        """The channel's name in Saleor; its slug when Saleor did not say (or could not be asked)."""
        return dict(self.channel_names).get(slug) or slug


@dataclass(frozen=True)
class RecentOrder:
    number: str
    currency: str | None
    customer_first_name: str | None
    item_names: tuple[str, ...]


def shop_of(runtime, tenant_id: int) -> Shop:
    cached = _shop_cache.get(tenant_id)
    if cached and time.monotonic() - cached[0] < SHOP_FACTS_SECONDS:
        if cached[1].name:
            remember_saleor_name(runtime, tenant_id, cached[1].name)
        return cached[1]
    with runtime.db.read() as session:
        tenant = tenants.get(session, tenant_id)
        client = runtime.saleor_client(tenant) if tenant.token_ciphertext is not None else None
    try:
        data = client.execute("ShopChannels") if client else {}
    except (SaleorError, OSError) as exc:
        log.info("shop facts unavailable for the preview", extra={"error": type(exc).__name__})
        return Shop(name=None, currencies=())
    currencies = tuple(sorted({c["currencyCode"] for c in data.get("channels") or () if c.get("currencyCode")}))
    names = tuple((c["slug"], c["name"]) for c in data.get("channels") or () if c.get("slug") and c.get("name"))
    shop = Shop(name=(data.get("shop") or {}).get("name"), currencies=currencies, channel_names=names)
    _shop_cache[tenant_id] = (time.monotonic(), shop)
    if shop.name:
        remember_saleor_name(runtime, tenant_id, shop.name)
    return shop


def remember_saleor_name(runtime, tenant_id: int, name: str) -> None:
    """Saleor's shop name is the brand's default name on the customer's page and in e-mails, which cannot
    ask Saleor themselves: kept whenever the dashboard reads it."""
    from saleor_cs_app.store import brands

    with runtime.db.read() as session:
        if brands.saleor_name(session, tenant_id) == name[:200]:
            return  # the usual case, read on every preview: no write transaction
    with runtime.db.transaction() as session:
        brands.remember_saleor_name(session, tenant_id, name, runtime.clock())


def recent_order(runtime, tenant_id: int) -> RecentOrder | None:
    with runtime.db.read() as session:
        row = session.scalar(
            select(TrackedOrder)
            .where(TrackedOrder.tenant_id == tenant_id)
            .order_by(TrackedOrder.created_at.desc(), TrackedOrder.id.desc())
            .limit(1)
        )
        if row is None:
            return None
        facts = row.facts or {}
        return RecentOrder(
            number=row.number,
            currency=facts.get("currency"),
            customer_first_name=facts.get("customer_first_name"),
            item_names=tuple(str(line.get("name")) for line in facts.get("lines", []) if line.get("name")),
        )


def from_the_shop(sample: MessageContext, shop: Shop, order: RecentOrder | None, currency: str | None) -> MessageContext:
    """The sample with the shop's own name, currency and order; what the shop lacks stays as sampled."""
    changes: dict = {}
    if shop.name:
        changes["shop_name"] = shop.name
    if order is not None:
        changes["order_number"] = order.number
        changes["customer_first_name"] = order.customer_first_name or sample.customer_first_name
        if sample.expected_items and order.item_names:
            changes["expected_items"] = order.item_names[:1]
    chosen = currency or (order.currency if order else None) or (shop.currencies[0] if shop.currencies else None)
    if chosen and chosen != sample.currency:
        changes["currency"] = chosen
    return replace(sample, **changes)


def builtin_as_template(ctx: MessageContext) -> dict[str, str]:
    """The built-in message with its values turned back into {{ variables }}: the start of an override."""
    values = template_variables(ctx)
    placeholders = {
        k: (f"{{{{ {k} }}}}" if isinstance(v, str) and k not in _STRUCTURAL else v) for k, v in values.items()
    }
    subject, text, _html = render_builtin(placeholders)
    return {"subject": subject, "text": text}
