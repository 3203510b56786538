"""Owed goods (care/owed.py) carried out in Saleor exactly once: a new parcel, or the money back.

Both reuse the incident goodwill's lookups under a key of their own, `<incident id>.owed`: the same
incident may also carry the policy's goodwill (a gift product is a draft order tagged `cs-<incident
id>`), and the two must never find each other on a retry.
- new parcel: a zero-priced draft order of the parcel's variants for the customer, external reference
  `cs-<incident id>.owed`, completed; shipped free through a single-use 100 % shipping voucher.
- money back: `orderGrantRefundCreate` with `[cs-incident <incident id>.owed]` in its reason.
"""

from __future__ import annotations

from decimal import Decimal

from saleor_cs_app.goodwill import draft_order, refund, voucher
from saleor_cs_app.saleor.client import SaleorClient


def saleor_key(incident_id: str) -> str:
    return f"{incident_id}.owed"


def send_new_parcel(
    client: SaleorClient, *, incident_id: str, original: dict, lines: list[dict], secret_key: str, why: str
) -> dict:
    """The completed order (id, number, status). `lines`: [{"variantId", "quantity"}]."""
    key = saleor_key(incident_id)
    shipping_code = voucher.free_shipping_for(client, original=original, secret_key=secret_key, key=key, what="new parcel")
    return draft_order.create_and_complete(
        client,
        incident_id=key,
        original=original,
        lines=lines,
        customer_note=f"Sent free of charge: {why}",
        free_shipping_code=shipping_code,
    )


def give_money_back(client: SaleorClient, *, incident_id: str, original: dict, amount: Decimal, why: str) -> dict:
    """The granted refund (id); the payment app (or staff) moves the money."""
    return refund.grant(client, incident_id=saleor_key(incident_id), original=original, amount=str(amount), reason=why)
