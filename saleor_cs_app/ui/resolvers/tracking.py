"""Delivery tracking on the dashboard: what late-delivery detection can see, the install backlog,
and the AfterShip connection (keys go in, never come back out)."""

from __future__ import annotations

import strawberry

from saleor_cs_app.jobs import backlog
from saleor_cs_app.jobs.incidents_flow import NotPending
from saleor_cs_app.store import budget, insights, tracking_connections
from saleor_cs_app.tracking import aftership, connect, dhl, performance, status
from saleor_cs_app.tracking.dhl import poll
from saleor_cs_app.tracking.dhl.reading import DAILY_CALLS
from saleor_cs_app.tracking.promise_advice import advice as promise_advice_of
from saleor_cs_app.ui.errors import ApiError, NotFoundError

RECENT_DAYS = 30


@strawberry.type
class TrackingService:
    name: str
    connected: bool
    webhook_url: str | None  # paste into AfterShip: Settings → Webhooks
    calls_today: int | None = None  # polled services (DHL): calls made today (UTC), of `daily_calls`
    daily_calls: int | None = None


@strawberry.type
class TrackingOverview:
    saleor_api_url: str
    recent_days: int
    recent_fulfillments: int  # shipped in the last `recent_days` days
    unfollowed_fulfillments: int  # of those, followed by no tracking source: never called late
    advice: str | None  # what to connect so late-delivery detection works; None when all are followed
    backlog_count: int  # promises broken before the install, waiting for release or dismissal
    services: list[TrackingService]


@strawberry.type
class OnTimeDelivery:
    carrier: str
    shipping_method: str
    delivered: int  # parcels a tracking source saw delivered in the month
    on_time: int  # of those, delivered before the deliver-by promised at checkout
    rate: float  # on_time / delivered


@strawberry.type
class PromiseEstimate:
    days: int | None  # kept 95 % of the time; None without data
    sample: int
    low: int | None  # 90 % band of that value; None when the sample is too small to bound it
    high: int | None
    sure: bool  # the band is at most one day wide


@strawberry.type
class ShippingMethodAdvice:
    shipping_method: str  # the key: the name in lower case, as shippingAccess.methods' `key`
    name: str  # as the shop spells it on its orders
    delivered: int  # parcels seen delivered in the last 90 days
    kept: int  # of those, by the deliver-by day
    kept_share: float | None
    maximum_delivery_days: PromiseEstimate  # Saleor's shipping method setting
    handling_days: PromiseEstimate  # the policy's promises.handling_days


@strawberry.type
class TrackingConnectResult:
    ok: bool
    error: str | None
    webhook_url: str | None


def tracking_overview(info: strawberry.Info) -> TrackingOverview:
    runtime, caller = info.context.runtime, info.context.caller
    with runtime.db.read() as session:
        recent, unfollowed = status.coverage(session, caller.tenant_id, runtime.clock(), RECENT_DAYS)
        waiting = backlog.count(session, caller.tenant_id)
        row = tracking_connections.find(session, caller.tenant_id, aftership.NAME)
        service = TrackingService(
            name=aftership.NAME,
            connected=row is not None,
            webhook_url=connect.webhook_url(runtime, aftership.NAME, row.public_id) if row else None,
        )
        dhl_service = TrackingService(
            name=dhl.NAME,
            connected=tracking_connections.find(session, caller.tenant_id, dhl.NAME) is not None,
            webhook_url=None,
            calls_today=poll.calls_today(session, caller.tenant_id, runtime.clock()),
            daily_calls=DAILY_CALLS,
        )
    return TrackingOverview(
        saleor_api_url=caller.saleor_api_url,
        recent_days=RECENT_DAYS,
        recent_fulfillments=recent,
        unfollowed_fulfillments=unfollowed,
        advice=_advice(unfollowed, service.connected),
        backlog_count=waiting,
        services=[service, dhl_service],
    )


def _advice(unfollowed: int, aftership_connected: bool) -> str | None:
    if unfollowed == 0:
        return None
    if not aftership_connected:
        return (
            f"{unfollowed} recent parcel(s) are followed by no tracking source, so the app never calls them late. "
            "Connect AfterShip below, or have your shipping integration write the delivery status key "
            "(policy: detection.delivery_status_key) on each fulfilment."
        )
    return (
        f"{unfollowed} recent parcel(s) are not followed yet: they have no tracking number, or AfterShip "
        "has not accepted it. Add tracking numbers to fulfilments to have them followed."
    )


def delivery_performance(info: strawberry.Info, month: str | None = None) -> list[OnTimeDelivery]:
    """On-time delivery rate per carrier and shipping method (month: YYYY-MM, default this month)."""
    runtime, caller = info.context.runtime, info.context.caller
    month = month or budget.month_of(runtime.clock())
    try:
        start, end = insights.month_bounds(month)
    except ValueError:
        raise ApiError("month must look like 2025-03") from None
    with runtime.db.read() as session:
        rates = performance.on_time_rates(session, caller.tenant_id, start, end)
    return [
        OnTimeDelivery(
            carrier=r.carrier, shipping_method=r.shipping_method, delivered=r.delivered, on_time=r.on_time, rate=r.rate
        )
        for r in rates
    ]


def promise_advice(info: strawberry.Info) -> list[ShippingMethodAdvice]:
    """Per shipping method: promises kept in the last 90 days, and the promise that would have been kept 95 %."""
    runtime, caller = info.context.runtime, info.context.caller
    with runtime.db.read() as session:
        found = promise_advice_of(session, caller.tenant_id, runtime.clock())
    estimate = lambda a: PromiseEstimate(days=a.days, sample=a.sample, low=a.low, high=a.high, sure=a.sure)  # noqa: E731
    return [
        ShippingMethodAdvice(
            shipping_method=m.shipping_method,
            name=m.name,
            delivered=m.delivered,
            kept=m.kept,
            kept_share=m.kept / m.delivered if m.delivered else None,
            maximum_delivery_days=estimate(m.max_delivery_days),
            handling_days=estimate(m.handling_days),
        )
        for m in found
    ]


def connect_aftership(info: strawberry.Info, api_key: str, webhook_secret: str) -> TrackingConnectResult:
    try:
        connected = connect.connect(
            info.context.runtime, info.context.caller.tenant_id, aftership.NAME, api_key=api_key, webhook_secret=webhook_secret
        )
    except connect.ConnectionInvalid as exc:
        return TrackingConnectResult(ok=False, error=str(exc), webhook_url=None)
    return TrackingConnectResult(ok=True, error=None, webhook_url=connected.webhook_url)


def connect_dhl(info: strawberry.Info, api_key: str) -> TrackingConnectResult:
    """DHL parcels are then polled with the merchant's own key, within its daily allowance."""
    try:
        connect.connect(info.context.runtime, info.context.caller.tenant_id, dhl.NAME, api_key=api_key)
    except connect.ConnectionInvalid as exc:
        return TrackingConnectResult(ok=False, error=str(exc), webhook_url=None)
    return TrackingConnectResult(ok=True, error=None, webhook_url=None)


def test_tracking_connection(info: strawberry.Info, service: str = aftership.NAME) -> TrackingConnectResult:
    """Asks the service (aftership | dhl) whether it accepts the stored key."""
    if service not in connect.PROVIDERS:
        raise ApiError(f"Unknown tracking service {service!r}")
    error = connect.check_connection(info.context.runtime, info.context.caller.tenant_id, service)
    return TrackingConnectResult(ok=error is None, error=error, webhook_url=None)


def disconnect_tracking(info: strawberry.Info, service: str = aftership.NAME) -> bool:
    return connect.disconnect(info.context.runtime, info.context.caller.tenant_id, service)


def release_backlog(info: strawberry.Info) -> int:
    """Releases every incident waiting in the install backlog; returns how many."""
    caller = info.context.caller
    return backlog.release_all(info.context.runtime, caller.tenant_id, by=caller.email)


def dismiss_incident(info: strawberry.Info, id: strawberry.ID, reason: str | None = None) -> bool:
    """Dismiss a backlog incident: the customer is never contacted about it."""
    caller = info.context.caller
    try:
        backlog.dismiss(info.context.runtime, caller.tenant_id, str(id), by=caller.email, reason=(reason or "").strip()[:500] or None)
    except LookupError:
        raise NotFoundError("No such incident") from None
    except NotPending as exc:
        raise ApiError(f"Nothing to do: the {exc}", "NOT_PENDING") from None
    return True
