"""Gift card: `giftCardCreate`, tagged with the incident so a retry finds it."""

from __future__ import annotations

from datetime import date

from saleor_cs_app.goodwill.errors import raise_for_errors
from saleor_cs_app.saleor.client import SaleorClient


def incident_tag(incident_id: str) -> str:
    # Saleor lowercases tags when it stores them, and filters by exact match.
    return f"cs-incident-{incident_id}".lower()


def find(client: SaleorClient, incident_id: str) -> dict | None:
    data = client.execute("GiftCardsByTag", {"tag": incident_tag(incident_id)})
    edges = ((data.get("giftCards") or {}).get("edges")) or []
    return edges[0]["node"] if edges else None


def create(
    client: SaleorClient,
    *,
    incident_id: str,
    amount: str,
    currency: str,
    expires_on: date | None,
    customer_email: str | None,
    channel_slug: str,
    note: str,
) -> dict:
    existing = find(client, incident_id)
    if existing is not None:
        return existing
    gift_input = {
        "balance": {"amount": amount, "currency": currency},
        "isActive": True,
        "addTags": [incident_tag(incident_id)],
        "note": note,
    }
    if expires_on is not None:
        gift_input["expiryDate"] = expires_on.isoformat()
    if customer_email:
        # Saleor requires the channel with userEmail (REQUIRED otherwise).
        gift_input["userEmail"] = customer_email
        gift_input["channel"] = channel_slug
    payload = raise_for_errors(
        "giftCardCreate", client.execute("GiftCardCreate", {"input": gift_input}).get("giftCardCreate")
    )
    return payload["giftCard"]
