"""Reship and gift product: a zero-priced order for the customer, created as a draft and completed.

The draft carries `cs-<incident id>` as external reference (a retry finds it)
and a private-metadata marker (so our own order is not tracked as a customer
order). Saleor copies private metadata onto replacement orders, so the marker
names the incident rather than merely saying "ours".
"""

from __future__ import annotations

from saleor_cs_app.goodwill.errors import GoodwillFailed, raise_for_errors
from saleor_cs_app.saleor.client import SaleorClient
from saleor_cs_app.watch.snapshot import CREATED_FOR_INCIDENT


def external_reference(incident_id: str) -> str:
    return f"cs-{incident_id}"


def _address_input(address: dict | None) -> dict | None:
    if not address:
        return None
    fields = {k: v for k, v in address.items() if k != "country" and v not in (None, "")}
    fields["country"] = (address.get("country") or {}).get("code")
    return fields


def create_and_complete(
    client: SaleorClient,
    *,
    incident_id: str,
    original: dict,
    lines: list[dict],  # [{"variantId", "quantity"}]
    customer_note: str,
    free_shipping_code: str | None,
) -> dict:
    reference = external_reference(incident_id)
    order = client.execute("OrderByExternalReference", {"reference": reference}).get("order")
    if order is None:
        if not lines:
            raise GoodwillFailed("nothing to send: no product variant found for the items")
        draft_input = {
            "channelId": original["channel"]["id"],
            "userEmail": original.get("userEmail"),
            "externalReference": reference,
            "customerNote": customer_note,
            "lines": [{**line, "price": "0"} for line in lines],
            "privateMetadata": [{"key": CREATED_FOR_INCIDENT, "value": incident_id}],
            "languageCode": original.get("languageCodeEnum"),
        }
        if original.get("user"):
            draft_input["user"] = original["user"]["id"]
        for key in ("shippingAddress", "billingAddress"):
            address = _address_input(original.get(key))
            if address:
                draft_input[key] = address
        method = original.get("deliveryMethod") or {}
        if method.get("__typename") == "ShippingMethod":
            draft_input["shippingMethod"] = method["id"]
            # Saleor prices shipping from the method; a 100 % shipping voucher makes it free.
            draft_input["voucherCode"] = free_shipping_code
        payload = client.execute("DraftOrderCreate", {"input": {k: v for k, v in draft_input.items() if v is not None}})
        order = raise_for_errors("draftOrderCreate", payload.get("draftOrderCreate"))["order"]
    if order["status"] == "DRAFT":
        payload = client.execute("DraftOrderComplete", {"id": order["id"]})
        order = raise_for_errors("draftOrderComplete", payload.get("draftOrderComplete"))["order"]
    return order
