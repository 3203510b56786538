"""What an incident means to a merchant: its products by name and price, the offer broken down, the messages.

The page composes the sentences in the dashboard's language from these facts; nothing here is prose.
Names come from the order's lines, else from Saleor's catalogue (a wrong item is usually not in the order),
else the SKU itself.
"""

from __future__ import annotations

from datetime import datetime

import strawberry
from sqlalchemy import select

from saleor_cs_app.goodwill import catalogue
from saleor_cs_app.store import orders, tenants
from saleor_cs_app.store.models import OutboxMessage
from saleor_cs_app.ui.types import MailState


@strawberry.type
class ItemLine:
    sku: str
    name: str
    unit_price: str | None = strawberry.field(description="What the order charged, else the catalogue price.")


@strawberry.type
class OfferDetail:
    type: str
    value: str | None
    currency: str | None
    gift_card_amount: str | None
    expires_in_days: int | None
    sku: str | None
    quantity: int | None
    refund_amount: str | None
    keep_item_discount_percent: str | None
    reship_skus: list[str]
    kept_items_discount: str | None


@strawberry.type
class CustomerMessage:
    purpose: str = strawberry.field(description="initial | shipped | a follow-up purpose")
    subject: str
    text: str
    language: str
    state: MailState
    sent_at: datetime | None
    mail_to: str


def offer_detail(decision: dict | None) -> OfferDetail | None:
    offer = (decision or {}).get("offer")
    if not offer:
        return None
    text = lambda key: None if offer.get(key) is None else str(offer[key])  # noqa: E731
    return OfferDetail(
        type=str(offer.get("type", "apology_only")),
        value=text("value"),
        currency=offer.get("currency"),
        gift_card_amount=text("gift_card_amount"),
        expires_in_days=offer.get("expires_in_days"),
        sku=offer.get("sku"),
        quantity=offer.get("quantity"),
        refund_amount=text("refund_amount"),
        keep_item_discount_percent=text("keep_item_discount_percent"),
        reship_skus=[str(s) for s in offer.get("reship_skus") or ()],
        kept_items_discount=text("kept_items_discount"),
    )


def items_of(runtime, tenant_id: int, order_id: str, skus: list[str]) -> list[ItemLine]:
    """Each SKU once, named; catalogue lookups only for SKUs the order does not hold."""
    wanted = list(dict.fromkeys(s for s in skus if s))
    with runtime.db.read() as session:
        tracked = orders.find(session, tenant_id, order_id)
        facts = (tracked.facts or {}) if tracked else {}
        tenant = tenants.get(session, tenant_id)
        client = runtime.saleor_client(tenant) if tenant.token_ciphertext is not None else None
    by_sku = {line.get("sku"): line for line in facts.get("lines", []) if line.get("sku")}
    found = [
        ItemLine(sku=s, name=str(by_sku[s].get("name") or s), unit_price=by_sku[s].get("unit_price"))
        for s in wanted
        if s in by_sku
    ]
    missing = [s for s in wanted if s not in by_sku]
    if missing and facts.get("channel_slug") and client is not None:
        found += _from_catalogue(client, missing, facts["channel_slug"])
    else:
        found += [ItemLine(sku=s, name=s, unit_price=None) for s in missing]
    return sorted(found, key=lambda item: wanted.index(item.sku))


def _from_catalogue(client, skus: list[str], channel: str) -> list[ItemLine]:
    variants = catalogue.variants_by_sku(client, skus, channel)
    lines = []
    for sku in skus:
        variant = variants.get(sku) or {}
        price = (((variant.get("pricing") or {}).get("price") or {}).get("gross") or {}).get("amount")
        name = catalogue.display_name(variant)
        lines.append(ItemLine(sku=sku, name=name or sku, unit_price=None if price is None else str(price)))
    return lines


def messages_of(runtime, tenant_id: int, incident_id: str) -> list[CustomerMessage]:
    with runtime.db.read() as session:
        rows = session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.tenant_id == tenant_id, OutboxMessage.incident_id == incident_id)
            .order_by(OutboxMessage.created_at)
        ).all()
        return [
            CustomerMessage(
                purpose=r.purpose,
                subject=r.subject,
                text=r.text,
                language=r.language,
                state=r.state,
                sent_at=r.sent_at,
                mail_to=r.mail_to,
            )
            for r in rows
        ]
