"""Reading a Saleor order payload (the TrackedOrder fragment) into plain data."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from saleor_cs_app.care.detection import CLOSED_ORDER, FulfillmentState, OrderState, fully_shipped, parse_sku_list
from saleor_cs_app.care.due_to_ship import Allocation, LineToShip, still_to_ship
from saleor_cs_app.care.returns import customer_key

# Private metadata on orders the app itself created (reships, gift orders), so
# they are not tracked as customer orders. Saleor copies private metadata onto
# replacement orders, so the value names the incident, not just "ours".
CREATED_FOR_INCIDENT = "saleor-cs-app.created-for-incident"


def parse_time(value: str | None) -> datetime | None:
    """Saleor's ISO-8601 DateTime; None when absent or unreadable."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def metadata(items: list[dict] | None) -> dict[str, str]:
    return {i["key"]: i["value"] for i in items or [] if "key" in i}


def is_created_by_app(order: dict) -> bool:
    return CREATED_FOR_INCIDENT in metadata(order.get("privateMetadata"))


def first_seen_fields(order: dict, now: datetime) -> dict:
    """Columns stored when the order is first seen, including the promise it was sold with."""
    method = order.get("deliveryMethod") or {}
    return {
        "number": str(order.get("number", "")),
        "channel_slug": order["channel"]["slug"],
        "status": order.get("status", ""),
        "created_at": parse_time(order.get("created")) or now,
        "max_delivery_days": method.get("maximumDeliveryDays")
        if method.get("__typename") == "ShippingMethod"
        else None,
        "click_and_collect": method.get("__typename") == "Warehouse",
        "facts": order_facts(order),
        "updated_at": now,
        **customer_fields(order),
    }


def customer_fields(order: dict) -> dict:
    """Who placed the order and what it was worth, as columns (store/returns.py counts them)."""
    total = ((order.get("total") or {}).get("gross")) or {}
    amount = total.get("amount")
    return {
        "customer_key": customer_key((order.get("user") or {}).get("id"), order.get("userEmail")),
        "total_amount": Decimal(str(amount)) if amount is not None else None,
        "currency": total.get("currency") or (order.get("channel") or {}).get("currencyCode"),
    }


def order_facts(order: dict) -> dict:
    """What decisions and messages need later, as JSON."""
    channel = order.get("channel") or {}
    total = ((order.get("total") or {}).get("gross")) or {}
    shipping = ((order.get("shippingPrice") or {}).get("gross")) or {}
    first_name = ((order.get("user") or {}).get("firstName")) or ((order.get("billingAddress") or {}).get("firstName"))
    return {
        "number": str(order.get("number", "")),
        "channel_id": channel.get("id"),
        "channel_slug": channel.get("slug"),
        "channel_country": (channel.get("defaultCountry") or {}).get("code"),
        # Where the parcels go: their transit is counted in this country's business days (care/transit.py).
        "destination_country": (((order.get("shippingAddress") or {}).get("country")) or {}).get("code"),
        "currency": total.get("currency") or channel.get("currencyCode"),
        "total": str(Decimal(str(total.get("amount", 0)))),
        "shipping_price": str(Decimal(str(shipping.get("amount", 0)))),
        "customer_email": order.get("userEmail"),
        "customer_first_name": first_name or None,
        "language_code": order.get("languageCodeEnum"),
        "shipping_method_name": order.get("shippingMethodName"),
        "lines": [
            {
                "line_id": line.get("id"),
                "sku": line.get("productSku"),
                "name": " ".join(filter(None, [line.get("productName"), line.get("variantName")])),
                "quantity": line.get("quantity", 0),
                "ships": ships(line),
                "unit_price": str(Decimal(str(((line.get("unitPrice") or {}).get("gross") or {}).get("amount", 0)))),
                "variant_id": (line.get("variant") or {}).get("id"),
                # For the customer's page: the names in the order's language, and the picture from Saleor's media.
                "product_name": line.get("translatedProductName") or line.get("productName"),
                "variant_name": line.get("translatedVariantName") or line.get("variantName") or None,
                "thumbnail": _web_url((line.get("thumbnail") or {}).get("url")),
                "thumbnail_alt": (line.get("thumbnail") or {}).get("alt") or None,
            }
            for line in order.get("lines") or []
        ],
        "fulfillments": {
            f["id"]: {
                "status": f.get("status"),
                "created": f.get("created"),
                "tracking_number": f.get("trackingNumber") or None,
                "warehouse": (f.get("warehouse") or {}).get("name"),
                # What the parcel holds: a lost or returned one owes the customer these (care/owed.py).
                "lines": [
                    {"line_id": (l.get("orderLine") or {}).get("id"), "quantity": int(l.get("quantity", 0))}
                    for l in f.get("lines") or []
                ],
            }
            for f in order.get("fulfillments") or []
        },
    }


def _web_url(url) -> str | None:
    return url if isinstance(url, str) and url.startswith(("https://", "http://")) and len(url) <= 2000 else None


def ships(line: dict) -> bool:
    """Whether an order line goes in a parcel: Saleor's `isShippingRequired`, false for a digital product or a
    gift card, which no promise to ship covers. A line read before the app asked for it counts as shipping."""
    return line.get("isShippingRequired") is not False


def lines_to_ship(order: dict) -> list[LineToShip]:
    """What the order still has to ship, per line and the warehouse its stock is allocated in
    (`OrderLine.allocations`); nothing for a cancelled (or otherwise closed) order."""
    if order.get("status") in CLOSED_ORDER:
        return []
    parts: list[LineToShip] = []
    for line in order.get("lines") or []:
        if not ships(line):
            continue
        allocations = [
            Allocation(
                warehouse_id=str((a.get("warehouse") or {}).get("id") or ""),
                warehouse_name=str((a.get("warehouse") or {}).get("name") or ""),
                quantity=int(a.get("quantity") or 0),
            )
            for a in line.get("allocations") or []
            if (a.get("warehouse") or {}).get("id")
        ]
        parts += still_to_ship(
            str(line.get("id") or ""), int(line.get("quantity") or 0), int(line.get("quantityFulfilled") or 0), allocations
        )
    return parts


def order_state(order: dict, *, paid_at: datetime | None, scanned_skus_key: str) -> OrderState:
    lines = order.get("lines") or []
    return OrderState(
        status=order.get("status", ""),
        created=parse_time(order.get("created")),
        paid_at=paid_at,
        fully_shipped=fully_shipped([(l.get("quantity", 0), l.get("quantityFulfilled", 0)) for l in lines if ships(l)]),
        fulfillments=tuple(_fulfillment_state(f, scanned_skus_key) for f in order.get("fulfillments") or []),
    )


def _fulfillment_state(f: dict, scanned_skus_key: str) -> FulfillmentState:
    meta = metadata(f.get("metadata"))
    skus: list[str] = []
    for line in f.get("lines") or []:
        sku = ((line.get("orderLine") or {}).get("productSku")) or ""
        skus.extend([sku] * int(line.get("quantity", 0)))
    return FulfillmentState(
        id=f["id"],
        status=f.get("status", ""),
        created=parse_time(f.get("created")),
        skus=tuple(skus),
        scanned_skus=parse_sku_list(meta.get(scanned_skus_key)),
        tracking_number=f.get("trackingNumber") or None,
        warehouse=(f.get("warehouse") or {}).get("name"),
    )
