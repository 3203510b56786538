"""Insights → "Promises you can keep": the shop's shipping methods in Saleor (to open one, and to apply the
advised maximumDeliveryDays where the app holds MANAGE_SHIPPING), and the on-time trend as chart and CSV.
The advice itself is `promiseAdvice` (resolvers/tracking.py)."""

from __future__ import annotations

import logging

import strawberry

from saleor_cs_app.care.on_time_trend import GROUPINGS, MIN_SAMPLE, chart_series
from saleor_cs_app.saleor.client import SaleorError
from saleor_cs_app.store import tenants
from saleor_cs_app.tracking import shipping_methods
from saleor_cs_app.tracking.delivery_trend import delivery_trend as trend_of
from saleor_cs_app.ui.charts import rates_over_time
from saleor_cs_app.ui.errors import ApiError
from saleor_cs_app.ui.on_time_export import on_time_csv

log = logging.getLogger(__name__)

MAX_DAYS = 120  # a longer promise is a typo, not advice


@strawberry.type
class SaleorShippingMethodLink:
    key: str  # the advice's shippingMethod this one answers to (its name, lower case)
    zone_id: str
    zone_name: str
    method_id: str
    name: str
    minimum_delivery_days: int | None
    maximum_delivery_days: int | None


@strawberry.type
class ShippingAccess:
    app_granted: bool  # the app holds MANAGE_SHIPPING (optional: the merchant grants it in the dashboard)
    user_may: bool  # the signed-in staff member holds it too: the app never changes what its user could not
    methods: list[SaleorShippingMethodLink]  # [] without the permission: the page links to the zone list

    @strawberry.field
    def can_apply(self) -> bool:
        return self.app_granted and self.user_may


@strawberry.type
class TrendPointRow:
    month: str
    group: str
    delivered: int
    on_time: int
    rate: float | None  # None when too few to tell
    too_few: bool


@strawberry.type
class DeliveryTrend:
    by: str
    months: list[str]
    min_sample: int
    points: list[TrendPointRow]


@strawberry.type
class AppliedDeliveryDays:
    ok: bool
    error: str | None
    minimum_delivery_days: int | None
    maximum_delivery_days: int | None


def _client(info: strawberry.Info):
    runtime, caller = info.context.runtime, info.context.caller
    with runtime.db.read() as session:
        return runtime.saleor_client(tenants.get(session, caller.tenant_id))


def _user_may(info: strawberry.Info) -> bool:
    return shipping_methods.PERMISSION in info.context.caller.user_permissions


def shipping_access(info: strawberry.Info) -> ShippingAccess:
    """Asks Saleor now: the merchant can grant or withdraw the permission at any time."""
    try:
        client = _client(info)
        granted = shipping_methods.granted(client)
        found = shipping_methods.methods(client) if granted else []
    except SaleorError as exc:
        log.info("shipping methods unavailable", extra={"error": type(exc).__name__})
        granted, found = False, []
    return ShippingAccess(
        app_granted=granted,
        user_may=_user_may(info),
        methods=[
            SaleorShippingMethodLink(
                key=m.key, zone_id=m.zone_id, zone_name=m.zone_name, method_id=m.method_id, name=m.name,
                minimum_delivery_days=m.minimum_delivery_days, maximum_delivery_days=m.maximum_delivery_days,
            )
            for m in found
        ],
    )


def apply_maximum_delivery_days(info: strawberry.Info, shipping_method_id: strawberry.ID, days: int) -> AppliedDeliveryDays:
    """Sets the method's maximumDeliveryDays in Saleor (the page asks the merchant to confirm first)."""
    if not 0 <= days <= MAX_DAYS:
        raise ApiError(f"days must be between 0 and {MAX_DAYS}")
    if not str(shipping_method_id).strip() or len(str(shipping_method_id)) > 200:
        raise ApiError("shippingMethodId is not a Saleor ID")
    if not _user_may(info):
        raise ApiError("Changing shipping methods needs the MANAGE_SHIPPING permission on your staff account.", "FORBIDDEN")
    try:
        client = _client(info)
        if not shipping_methods.granted(client):
            raise ApiError("The app does not hold MANAGE_SHIPPING: grant it in the app's permissions, or change the "
                           "shipping method in the dashboard.", "FORBIDDEN")
        saved = shipping_methods.apply_maximum_days(client, str(shipping_method_id), days)
    except shipping_methods.NotApplied as exc:
        return AppliedDeliveryDays(ok=False, error=str(exc), minimum_delivery_days=None, maximum_delivery_days=None)
    except SaleorError as exc:
        log.info("shipping method not changed", extra={"error": type(exc).__name__})
        return AppliedDeliveryDays(ok=False, error="Saleor did not answer; nothing was changed. Try again later.",
                                   minimum_delivery_days=None, maximum_delivery_days=None)
    log.info("maximum delivery days applied", extra={"shipping_method": saved.method_id, "days": days})
    return AppliedDeliveryDays(ok=True, error=None, minimum_delivery_days=saved.minimum_delivery_days,
                               maximum_delivery_days=saved.maximum_delivery_days)


def _trend(info: strawberry.Info, by: str):
    if by not in GROUPINGS:
        raise ApiError(f"by must be one of {', '.join(GROUPINGS)}")
    memo = info.context.memo
    if ("trend", by) not in memo:
        runtime, caller = info.context.runtime, info.context.caller
        with runtime.db.read() as session:
            memo[("trend", by)] = trend_of(session, caller.tenant_id, runtime.clock(), by)
    return memo[("trend", by)]


def delivery_trend(info: strawberry.Info, by: str = "carrier") -> DeliveryTrend:
    """On-time rate per month (the last six) per carrier, method or country (by: carrier | method | country)."""
    months, points = _trend(info, by)
    return DeliveryTrend(
        by=by,
        months=months,
        min_sample=MIN_SAMPLE,
        points=[TrendPointRow(month=p.month, group=p.group, delivered=p.delivered, on_time=p.on_time, rate=p.rate,
                              too_few=p.too_few) for p in points],
    )


def delivery_trend_csv(info: strawberry.Info, by: str = "carrier") -> str:
    _, points = _trend(info, by)
    return on_time_csv(by, points)


def delivery_trend_chart(info: strawberry.Info, by: str = "carrier") -> str | None:
    """SVG of the on-time rate per month of the groups with the most parcels; None before any delivery."""
    months, points = _trend(info, by)
    series = chart_series(months, points)
    return rates_over_time(months, series) if series else None
