"""Free shipping: a single-use SHIPPING voucher with a code derived from the incident.

The code is an HMAC of the incident id, so a retry re-derives the same code
(Saleor refuses a duplicate with ALREADY_EXISTS and we look it up), and nobody
can guess another customer's code.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import date

from saleor_cs_app.goodwill.errors import GoodwillFailed, raise_for_errors
from saleor_cs_app.saleor.client import SaleorClient


CODE_PREFIX = "SORRY-"


def voucher_code(secret_key: str, incident_id: str) -> str:
    digest = hmac.new(secret_key.encode(), f"voucher:{incident_id}".encode(), hashlib.sha256).digest()
    return CODE_PREFIX + base64.b32encode(digest).decode()[:10]


def may_be_ours(code: str) -> bool:
    """Whether a code typed at checkout can be one the app gave (the shop's own codes never are)."""
    return code.upper().startswith(CODE_PREFIX)


def find(client: SaleorClient, code: str) -> dict | None:
    data = client.execute("VouchersByCode", {"code": code})
    for edge in ((data.get("vouchers") or {}).get("edges")) or []:
        if (edge["node"].get("code") or "").upper() == code.upper():
            return edge["node"]
    return None


def create(client: SaleorClient, *, code: str, channel_id: str, expires_on: date | None, name: str) -> dict:
    voucher = find(client, code)
    if voucher is None:
        voucher_input = {
            "type": "SHIPPING",
            "name": name,
            "addCodes": [code],
            "singleUse": True,
            "usageLimit": 1,
            "applyOncePerCustomer": True,
            "discountValueType": "PERCENTAGE",
        }
        if expires_on is not None:
            voucher_input["endDate"] = f"{expires_on.isoformat()}T23:59:59+00:00"
        payload = client.execute("VoucherCreate", {"input": voucher_input}).get("voucherCreate") or {}
        if any(e.get("code") == "ALREADY_EXISTS" for e in payload.get("errors") or []):
            voucher = find(client, code)  # created by an attempt whose answer we never saw
            if voucher is None:
                raise GoodwillFailed(f"voucher code {code} exists but cannot be found")
        else:
            voucher = raise_for_errors("voucherCreate", payload)["voucher"]
            voucher["channelListings"] = []
    listed = {(l.get("channel") or {}).get("id") for l in voucher.get("channelListings") or []}
    if channel_id not in listed:
        # 100 % off the shipping price in the order's channel; setting it twice is harmless.
        raise_for_errors(
            "voucherChannelListingUpdate",
            client.execute(
                "VoucherChannelListingUpdate",
                {"id": voucher["id"], "input": {"addChannels": [{"channelId": channel_id, "discountValue": 100}]}},
            ).get("voucherChannelListingUpdate"),
        )
    return {"id": voucher["id"], "code": code}


def free_shipping_for(client: SaleorClient, *, original: dict, secret_key: str, key: str, what: str) -> str | None:
    """The single-use 100 % shipping voucher a zero-priced order of `original`'s customer ships with (Saleor
    prices shipping from the method); None when the original had no shipping method. `key` names the order
    to come (`<incident id>` for a reship, `<incident id>.owed` for owed goods), so a retry finds its code."""
    if (original.get("deliveryMethod") or {}).get("__typename") != "ShippingMethod":
        return None
    code = voucher_code(secret_key, f"{key}:shipping")
    create(
        client,
        code=code,
        channel_id=original["channel"]["id"],
        expires_on=None,
        name=f"Free shipping of order {original['number']}'s {what}",
    )
    return code
