"""Builders of Saleor-shaped objects (plain dicts keyed by GraphQL field names)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from .engine import gid, meta_list, parse_gid

COUNTRIES = {"US": "United States of America", "PL": "Poland", "DE": "Germany", "GB": "United Kingdom"}


def iso(value) -> str:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def num(value) -> float:
    return float(Decimal(str(value)).quantize(Decimal("0.01")))


def money(amount, currency: str) -> dict:
    return {"__typename": "Money", "amount": num(amount), "currency": currency}


def taxed(amount, currency: str) -> dict:
    return {
        "__typename": "TaxedMoney",
        "currency": currency,
        "gross": money(amount, currency),
        "net": money(amount, currency),
        "tax": money(0, currency),
    }


def country(code: str) -> dict:
    return {"__typename": "CountryDisplay", "code": code, "country": COUNTRIES.get(code, code), "vat": None}


def address(country_code: str = "US", **overrides) -> dict:
    base = {
        "__typename": "Address",
        "id": gid("Address", uuid.uuid4().int % 100000),
        "firstName": "Jane",
        "lastName": "Doe",
        "companyName": "",
        "streetAddress1": "1 Main Street",
        "streetAddress2": "",
        "city": "NEW YORK" if country_code == "US" else "WARSZAWA",
        "cityArea": "",
        "postalCode": "10001" if country_code == "US" else "00-001",
        "country": country(country_code),
        "countryArea": "NY" if country_code == "US" else "",
        "phone": "+12125550100" if country_code == "US" else "+48221234567",
        "isDefaultShippingAddress": None,
        "isDefaultBillingAddress": None,
        "metadata": [],
        "privateMetadata": [],
    }
    base.update(overrides)
    return base


def channel(n: int, slug: str, name: str, currency: str, country_code: str) -> dict:
    return {
        "__typename": "Channel",
        "id": gid("Channel", n),
        "slug": slug,
        "name": name,
        "currencyCode": currency,
        "defaultCountry": country(country_code),
        "isActive": True,
        "hasOrders": True,
        "metadata": [],
        "privateMetadata": [],
    }


def warehouse(name: str, slug: str, country_code: str = "US", click_and_collect="DISABLED") -> dict:
    return {
        "__typename": "Warehouse",
        "id": gid("Warehouse", uuid.uuid5(uuid.NAMESPACE_DNS, slug)),
        "name": name,
        "slug": slug,
        "email": "",
        "companyName": "",
        "isPrivate": False,
        "clickAndCollectOption": click_and_collect,
        "address": address(country_code),
        "metadata": [],
        "privateMetadata": [],
    }


def shipping_method(n: int, name: str, price, currency: str, min_days, max_days) -> dict:
    return {
        "__typename": "ShippingMethod",
        "id": gid("ShippingMethod", n),
        "name": name,
        "description": None,
        "type": "PRICE",
        "price": money(price, currency),
        "maximumOrderPrice": None,
        "minimumOrderPrice": None,
        "minimumDeliveryDays": min_days,
        "maximumDeliveryDays": max_days,
        "active": True,
        "message": None,
        "metadata": [],
        "privateMetadata": [],
    }


def variant(n: int, sku: str, product_name: str, variant_name: str, prices: list, *, shipping=True) -> dict:
    """`prices` is a list of (channel dict, amount)."""
    product_type = {
        "__typename": "ProductType",
        "id": gid("ProductType", 1 if shipping else 2),
        "name": "Physical" if shipping else "Gift card",
        "isShippingRequired": shipping,
        "kind": "NORMAL" if shipping else "GIFT_CARD",
    }
    return {
        "__typename": "ProductVariant",
        "id": gid("ProductVariant", n),
        "sku": sku,
        "name": variant_name,
        "externalReference": None,
        "trackInventory": True,
        "quantityLimitPerCustomer": None,
        "product": {
            "__typename": "Product",
            "id": gid("Product", n),
            "name": product_name,
            "slug": product_name.lower().replace(" ", "-"),
            "productType": product_type,
            "isAvailableForPurchase": True,
            "metadata": [],
            "privateMetadata": [],
        },
        "channelListings": [
            {
                "__typename": "ProductVariantChannelListing",
                "id": gid("ProductVariantChannelListing", f"{n}{ch['slug']}"),
                "channel": ch,
                "price": money(amount, ch["currencyCode"]),
                "costPrice": None,
            }
            for ch, amount in prices
        ],
        "metadata": [],
        "privateMetadata": [],
    }


def variant_price(var: dict, ch: dict) -> float:
    for listing in var["channelListings"]:
        if listing["channel"]["slug"] == ch["slug"]:
            return listing["price"]["amount"]
    return var["channelListings"][0]["price"]["amount"] if var["channelListings"] else 0.0


def order_line(var: dict, quantity: int, price, currency: str, fulfilled: int = 0, **overrides) -> dict:
    line = {
        "__typename": "OrderLine",
        "id": gid("OrderLine", uuid.uuid4()),
        "productName": var["product"]["name"],
        "variantName": var["name"],
        "productSku": var["sku"],
        "productVariantId": var["id"],
        "variant": var,
        "quantity": quantity,
        "quantityFulfilled": fulfilled,
        "allocations": [],  # state.allocate: where the units left are reserved, as Saleor's checkout does
        "unitPrice": taxed(price, currency),
        "undiscountedUnitPrice": taxed(price, currency),
        "unitDiscount": money(0, currency),
        "unitDiscountValue": 0,
        "unitDiscountType": None,
        "unitDiscountReason": None,
        "totalPrice": taxed(Decimal(str(price)) * quantity, currency),
        "undiscountedTotalPrice": taxed(Decimal(str(price)) * quantity, currency),
        "taxRate": 0.0,
        "isShippingRequired": var["product"]["productType"]["isShippingRequired"],
        "isGift": False,
        "isPriceOverridden": False,
        "saleId": None,
        "voucherCode": None,
        "thumbnail": None,
        "translatedProductName": "",
        "translatedVariantName": "",
        "metadata": [],
        "privateMetadata": [],
    }
    line.update(overrides)
    return line


def allocation(wh: dict, quantity: int) -> dict:
    return {"__typename": "Allocation", "id": gid("Allocation", uuid.uuid4()), "quantity": quantity, "warehouse": wh}


def recompute_totals(order: dict) -> None:
    currency = order["channel"]["currencyCode"]
    subtotal = sum(Decimal(str(l["unitPrice"]["gross"]["amount"])) * l["quantity"] for l in order["lines"])
    shipping = Decimal(str(order["shippingPrice"]["gross"]["amount"]))
    order["subtotal"] = taxed(subtotal, currency)
    order["undiscountedTotal"] = taxed(subtotal + shipping, currency)
    order["total"] = taxed(subtotal + shipping, currency)


def set_fulfillment_status(order: dict) -> None:
    if order["status"] in ("DRAFT", "UNCONFIRMED", "CANCELED", "EXPIRED"):
        return
    ordered = sum(l["quantity"] for l in order["lines"])
    done = sum(l["quantityFulfilled"] for l in order["lines"])
    order["status"] = "UNFULFILLED" if done == 0 else ("FULFILLED" if done >= ordered else "PARTIALLY_FULFILLED")


def fulfillment(
    order: dict,
    lines: list[tuple[dict, int]],
    number: int,
    *,
    tracking_number="",
    status="FULFILLED",
    wh: dict | None = None,
    created,
) -> dict:
    return {
        "__typename": "Fulfillment",
        "id": gid("Fulfillment", uuid.uuid4().int % 10**9),
        "fulfillmentOrder": number,
        "status": status,
        "trackingNumber": tracking_number,
        "created": iso(created),
        "warehouse": wh,
        "shippingRefundedAmount": None,
        "totalRefundedAmount": None,
        "lines": [
            {
                "__typename": "FulfillmentLine",
                "id": gid("FulfillmentLine", uuid.uuid4().int % 10**9),
                "quantity": qty,
                "orderLine": line,
            }
            for line, qty in lines
        ],
        "metadata": [],
        "privateMetadata": [],
    }


def transaction(amount, currency: str, created: str) -> dict:
    return {
        "__typename": "TransactionItem",
        "id": gid("TransactionItem", uuid.uuid4()),
        "token": str(uuid.uuid4()),
        "name": "Credit card",
        "message": "",
        "pspReference": f"psp-{uuid.uuid4().hex[:12]}",
        "externalUrl": "",
        "createdAt": created,
        "modifiedAt": created,
        "chargedAmount": money(amount, currency),
        "authorizedAmount": money(0, currency),
        "refundedAmount": money(0, currency),
        "canceledAmount": money(0, currency),
        "authorizePendingAmount": money(0, currency),
        "chargePendingAmount": money(0, currency),
        "refundPendingAmount": money(0, currency),
        "cancelPendingAmount": money(0, currency),
        "events": [],
        "metadata": [],
        "privateMetadata": [],
    }


def customer(n: int, email: str, joined, first="Jane", last="Doe") -> dict:
    return {
        "__typename": "User",
        "id": gid("User", n),
        "email": email,
        "firstName": first,
        "lastName": last,
        "isActive": True,
        "isStaff": False,
        "isConfirmed": True,
        "languageCode": "EN",
        "dateJoined": iso(joined),
        "updatedAt": iso(joined),
        "metadata": [],
        "privateMetadata": [],
    }


def base_order(pk: uuid.UUID, number: int, ch: dict, created: str) -> dict:
    currency = ch["currencyCode"]
    return {
        "__typename": "Order",
        "id": gid("Order", pk),
        "token": str(pk),
        "number": str(number),
        "created": created,
        "updatedAt": created,
        "status": "UNFULFILLED",
        "origin": "CHECKOUT",
        "original": None,
        "channel": ch,
        "userEmail": None,
        "user": None,
        "languageCodeEnum": "EN",
        "languageCode": "en",
        "deliveryMethod": None,
        "shippingMethod": None,
        "shippingMethodName": None,
        "collectionPointName": None,
        "shippingAddress": None,
        "billingAddress": None,
        "lines": [],
        "fulfillments": [],
        "shippingPrice": taxed(0, currency),
        "undiscountedShippingPrice": money(0, currency),
        "shippingTaxRate": 0.0,
        "isShippingRequired": True,
        "isPaid": False,
        "paymentStatus": "NOT_CHARGED",
        "chargeStatus": "NONE",
        "authorizeStatus": "NONE",
        "totalCharged": money(0, currency),
        "totalAuthorized": money(0, currency),
        "totalRefunded": money(0, currency),
        "totalBalance": money(0, currency),
        "transactions": [],
        "payments": [],
        "grantedRefunds": [],
        "events": [],
        "giftCards": [],
        "discounts": [],
        "voucher": None,
        "voucherCode": None,
        "customerNote": "",
        "externalReference": None,
        "checkoutId": None,
        "redirectUrl": None,
        "displayGrossPrices": True,
        "invoices": [],
        "errors": [],
        "weight": {"__typename": "Weight", "unit": "KG", "value": 0.0},
        "metadata": [],
        "privateMetadata": [],
    }


def mark_paid(order: dict) -> None:
    currency = order["channel"]["currencyCode"]
    total = order["total"]["gross"]["amount"]
    order["isPaid"] = True
    order["paymentStatus"] = "FULLY_CHARGED" if total else "NOT_CHARGED"
    order["chargeStatus"] = "FULL" if total else "NONE"
    order["authorizeStatus"] = "FULL"
    order["totalCharged"] = money(total, currency)
    if total and not order["transactions"]:
        order["transactions"] = [transaction(total, currency, order["created"])]


def normalise_meta(order: dict) -> None:
    for key in ("metadata", "privateMetadata"):
        order[key] = meta_list(order.get(key))


def pk_of(global_id: str) -> Any:
    return parse_gid(global_id)[1]
