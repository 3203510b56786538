"""Partial refund: `orderGrantRefundCreate`, whose reason names the incident so a retry finds it.

A grant records the refund in Saleor; the payment app (or staff) moves the money.
"""

from __future__ import annotations

from saleor_cs_app.goodwill.errors import GoodwillFailed, raise_for_errors
from saleor_cs_app.saleor.client import SaleorClient


def reason_marker(incident_id: str) -> str:
    return f"[cs-incident {incident_id}]"


def grant(client: SaleorClient, *, incident_id: str, original: dict, amount: str, reason: str) -> dict:
    marker = reason_marker(incident_id)
    for granted in original.get("grantedRefunds") or []:
        if marker in (granted.get("reason") or ""):
            return granted
    transactions = original.get("transactions") or []
    if not transactions:
        # transactionId is required from Saleor 3.21; an order paid outside
        # transactions has nothing to grant against.
        raise GoodwillFailed("the order has no payment transaction to refund against")
    grant_input = {"amount": amount, "reason": f"{reason} {marker}", "transactionId": transactions[0]["id"]}
    payload = client.execute("OrderGrantRefundCreate", {"id": original["id"], "input": grant_input})
    return raise_for_errors("orderGrantRefundCreate", payload.get("orderGrantRefundCreate"))["grantedRefund"]
