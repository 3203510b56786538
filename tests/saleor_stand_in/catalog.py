"""Resolvers for shop, app, channels, gift cards, vouchers, variants and computed order fields."""

from __future__ import annotations

from decimal import Decimal

from . import data
from .engine import SALEOR_VERSION, SCHEMA_VERSION, check_gid, computed, connection, gid
from .queries import _in_range, _meta_match, _unsupported, one_of


# ------------------------------------------------------------ shop, app, channels


@computed("Query", "shop")
def q_shop(ctx, _root, info):
    saleor = ctx.saleor
    return {
        "__typename": "Shop",
        "id": gid("Shop", 1),
        "name": "Saleor e-commerce",
        "description": "Saleor stand-in",
        "version": SALEOR_VERSION,
        "schemaVersion": SCHEMA_VERSION,
        "domain": {
            "__typename": "Domain",
            "host": saleor.domain,
            "sslEnabled": False,
            "url": f"http://{saleor.domain}/",
        },
        "defaultCountry": data.country("US"),
        "countries": [data.country(c) for c in data.COUNTRIES],
        "channelCurrencies": sorted({c["currencyCode"] for c in saleor.channels.values()}),
        "companyAddress": None,
        "metadata": [],
        "privateMetadata": [],
    }


@computed("Query", "app")
def q_app(ctx, _root, info, id=None):
    if not id:
        return ctx.app
    check_gid(id, "App")
    app = ctx.saleor._apps.get(id)
    if app is None or app["id"] in ctx.saleor._removed_apps:
        return None
    return app


@computed("Query", "channel")
def q_channel(ctx, _root, info, id=None, slug=None):
    one_of(("id", id), ("slug", slug))
    if id:
        check_gid(id, "Channel")
        return ctx.saleor.channels.get(id)
    return next((c for c in ctx.saleor.channels.values() if c["slug"] == slug), None)


@computed("Query", "channels")
def q_channels(ctx, _root, info, **_):
    return list(ctx.saleor.channels.values())


# ------------------------------------------------------------------- gift cards


def gift_card_filter(card, flt) -> bool:
    for key, value in flt.items():
        if value is None:
            continue
        if key == "tags":
            ok = any(t["name"] in value for t in card["tags"])
        elif key == "isActive":
            ok = card["isActive"] == value
        elif key == "code":
            ok = card["code"] == value
        elif key == "currency":
            ok = card["currentBalance"]["currency"] == value
        elif key == "used":
            ok = (card.get("usedBy") is not None or card.get("lastUsedOn") is not None) == value
        elif key == "metadata":
            ok = _meta_match(card, value)
        elif key == "createdByEmail":
            ok = card.get("createdByEmail") == value
        elif key in ("currentBalance", "initialBalance"):
            ok = _in_range(Decimal(str(card[key]["amount"])), value, Decimal)
        else:
            _unsupported("GiftCardFilterInput", key)
        if not ok:
            return False
    return True


@computed("Query", "giftCards")
def q_gift_cards(ctx, _root, info, filter=None, search=None, sortBy=None, **page):
    items = list(ctx.saleor.gift_cards.values())
    if filter:
        items = [c for c in items if gift_card_filter(c, filter)]
    if search:
        items = [c for c in items if search.lower() in c["code"].lower()]
    items.sort(key=lambda c: c["code"])
    return connection(items, info, key=lambda c: (c["code"],), **page)


@computed("Query", "giftCard")
def q_gift_card(ctx, _root, info, id):
    check_gid(id, "GiftCard")
    return ctx.saleor.gift_cards.get(id)


@computed("GiftCard", "last4CodeChars")
def gc_last4(ctx, card, info):
    return card["code"][-4:]


# --------------------------------------------------------------------- vouchers


@computed("Query", "vouchers")
def q_vouchers(ctx, _root, info, filter=None, query=None, sortBy=None, channel=None, **page):
    items = list(ctx.saleor.vouchers.values())
    search = query or (filter or {}).get("search")
    if search:
        items = [
            v
            for v in items
            if search.lower() in (v.get("name") or "").lower()
            or any(search.lower() in c["code"].lower() for c in v["_codes"])
        ]
    if filter and filter.get("ids"):
        items = [v for v in items if v["id"] in filter["ids"]]
    if filter and filter.get("metadata"):
        items = [v for v in items if _meta_match(v, filter["metadata"])]
    return connection(items, info, key=lambda v: (v["id"],), **page)


@computed("Query", "voucher")
def q_voucher(ctx, _root, info, id, channel=None):
    check_gid(id, "Voucher")
    return ctx.saleor.vouchers.get(id)


@computed("Voucher", "codes")
def voucher_codes(ctx, voucher, info, **page):
    return connection(voucher["_codes"], info, key=lambda c: (c["id"],), **page)


@computed("Voucher", "code")
def voucher_code(ctx, voucher, info):
    return voucher["_codes"][-1]["code"] if voucher["_codes"] else None


def _listing(voucher):
    return voucher["channelListings"][0] if voucher["channelListings"] else None


@computed("Voucher", "discountValue")
def voucher_value(ctx, voucher, info):
    listing = _listing(voucher)
    return listing["discountValue"] if listing else None


@computed("Voucher", "currency")
def voucher_currency(ctx, voucher, info):
    listing = _listing(voucher)
    return listing["currency"] if listing else None


# --------------------------------------------------------------------- variants


@computed("Query", "productVariant")
def q_variant(ctx, _root, info, id=None, sku=None, externalReference=None, channel=None):
    one_of(("id", id), ("sku", sku), ("externalReference", externalReference))
    variants = ctx.saleor.variants.values()
    if id:
        check_gid(id, "ProductVariant")
        found = ctx.saleor.variants.get(id)
    elif sku:
        found = next((v for v in variants if v["sku"] == sku), None)
    else:
        found = next((v for v in variants if v.get("externalReference") == externalReference), None)
    return {**found, "_channel": channel} if found and channel else found


@computed("Query", "productVariants")
def q_variants(ctx, _root, info, ids=None, filter=None, where=None, channel=None, **page):
    items = list(ctx.saleor.variants.values())
    if ids:
        items = [v for v in items if v["id"] in ids]
    if filter and filter.get("sku"):
        items = [v for v in items if v["sku"] in filter["sku"]]
    if filter and filter.get("search"):  # Saleor: variant name, SKU or product name, case-insensitive
        words = filter["search"].lower()
        items = [v for v in items if words in f"{v['sku']} {v['name']} {v['product']['name']}".lower()]
    if channel:
        items = [{**v, "_channel": channel} for v in items]
    return connection(items, info, key=lambda v: (v["id"],), **page)


@computed("ProductVariant", "pricing")
def variant_pricing(ctx, var, info, **_):
    slug = var.get("_channel") or ctx.saleor.default_channel["slug"]
    listing = next((l for l in var["channelListings"] if l["channel"]["slug"] == slug), None)
    if listing is None:
        return None
    price = data.taxed(listing["price"]["amount"], listing["price"]["currency"])
    return {
        "__typename": "VariantPricingInfo",
        "onSale": False,
        "discount": None,
        "discountPrior": None,
        "price": price,
        "priceUndiscounted": price,
        "pricePrior": None,
        "discountLocalCurrency": None,
        "priceLocalCurrency": None,
    }


@computed("ProductVariant", "quantityAvailable")
def variant_quantity(ctx, var, info, **_):
    return var.get("_stock", 100)


# ----------------------------------------------------------------- order fields


@computed("OrderLine", "quantityToFulfill")
def line_to_fulfill(ctx, line, info):
    return line["quantity"] - line["quantityFulfilled"]


@computed("Order", "shippingMethod")
def order_shipping_method(ctx, order, info):
    method = order.get("deliveryMethod")
    return method if method and method.get("__typename") == "ShippingMethod" else None


@computed("Order", "totalGrantedRefund")
def order_total_granted(ctx, order, info):
    total = sum(Decimal(str(g["amount"]["amount"])) for g in order["grantedRefunds"])
    return data.money(total, order["channel"]["currencyCode"])


@computed("Order", "canFinalize")
def order_can_finalize(ctx, order, info):
    return order["status"] == "DRAFT" and bool(order["lines"])


@computed("Order", "totalRemainingGrant")
def order_remaining_grant(ctx, order, info):
    charged = Decimal(str(order["totalCharged"]["amount"]))
    granted = Decimal(str(order_total_granted(ctx, order, info)["amount"]))
    return data.money(max(charged - granted, Decimal(0)), order["channel"]["currencyCode"])
