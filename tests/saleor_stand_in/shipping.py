"""Shipping zones and shippingPriceUpdate of the stand-in, as Saleor 3.23 answers them.

A zone's `shippingMethods` are ShippingMethodType nodes (ID `ShippingMethodType:<pk>`); an order's
`deliveryMethod` is the same row seen as `ShippingMethod:<pk>`, read live (PROTOCOL.md: the current row, not a
snapshot), so a change made here shows on every order that uses the method.
Validation follows saleor/graphql/shipping/mutations/base.py (ShippingPriceMixin.clean_delivery_time).
"""

from __future__ import annotations

from .engine import check_gid, computed, connection, gid, parse_gid
from .mutations import MutationError, err, get_node, mutation


def _method_type(method: dict) -> dict:
    _, pk = parse_gid(method["id"])
    return {**method, "__typename": "ShippingMethodType", "id": gid("ShippingMethodType", pk)}


def _row(saleor, type_id: str) -> dict | None:
    """The ShippingMethod row behind a ShippingMethodType ID."""
    _, pk = parse_gid(type_id)
    return saleor.shipping_methods.get(gid("ShippingMethod", pk))


@computed("ShippingZone", "shippingMethods")
def zone_methods(ctx, zone, info, **_):
    return [_method_type(ctx.saleor.shipping_methods[m]) for m in zone["_methods"] if m in ctx.saleor.shipping_methods]


@computed("Query", "shippingZones")
def q_shipping_zones(ctx, _root, info, filter=None, channel=None, **page):
    zones = sorted(ctx.saleor.shipping_zones.values(), key=lambda z: z["id"])
    return connection(zones, info, key=lambda z: (z["id"],), **page)


@computed("Query", "shippingZone")
def q_shipping_zone(ctx, _root, info, id, channel=None):
    check_gid(id, "ShippingZone")
    return ctx.saleor.shipping_zones.get(id)


@mutation("shippingPriceUpdate")
def shipping_price_update(ctx, info, id, input):
    saleor = ctx.saleor
    views = {gid("ShippingMethodType", parse_gid(k)[1]): v for k, v in saleor.shipping_methods.items()}
    get_node(ctx, views, id, "ShippingMethodType")
    row = _row(saleor, id)
    given_min, given_max = input.get("minimumDeliveryDays"), input.get("maximumDeliveryDays")
    if "minimumDeliveryDays" in input or "maximumDeliveryDays" in input:
        # Saleor's own `or`: a 0 given falls back to the stored value when validating.
        low = given_min or row["minimumDeliveryDays"]
        high = given_max or row["maximumDeliveryDays"]
        errors = []
        if low and low < 0:
            errors.append(err("minimumDeliveryDays", "Minimum delivery days must be positive.", "INVALID"))
        if high and high < 0:
            errors.append(err("maximumDeliveryDays", "Maximum delivery days must be positive.", "INVALID"))
        if errors:
            raise MutationError(*errors)
        if low is not None and high is not None and low > high:
            if given_min is not None:
                raise MutationError(err("minimumDeliveryDays", "Minimum delivery days should be lower than maximum delivery days.", "INVALID"))
            raise MutationError(err("maximumDeliveryDays", "Maximum delivery days should be higher than minimum delivery days.", "INVALID"))
    for key in ("name", "minimumDeliveryDays", "maximumDeliveryDays"):
        if key in input:
            row[key] = input[key]
    zone = next((z for z in saleor.shipping_zones.values() if row["id"] in z["_methods"]), None)
    return {"shippingZone": zone, "shippingMethod": _method_type(row), "errors": []}
