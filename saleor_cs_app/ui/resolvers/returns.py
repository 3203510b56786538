"""What the goodwill bought: the stored daily count, its CSV and chart, and an incident's spent codes."""

from __future__ import annotations

import strawberry

from saleor_cs_app.care.returns import CAN_PROVE, CANNOT_PROVE
from saleor_cs_app.store import incidents, redemptions, returns
from saleor_cs_app.ui.charts import rates_over_time
from saleor_cs_app.ui.errors import ApiError
from saleor_cs_app.ui.returns_export import returns_csv
from saleor_cs_app.ui.returns_types import GoodwillRedemption, GoodwillReturns
from saleor_cs_app.ui.types import money


def _stored(info: strawberry.Info):
    runtime, caller = info.context.runtime, info.context.caller
    with runtime.db.read() as session:
        return returns.latest(session, caller.tenant_id)


def goodwill_returns(info: strawberry.Info) -> GoodwillReturns:
    found = _stored(info)
    return GoodwillReturns(
        computed_at=found[0] if found else None,
        report=found[1] if found else None,
        can_prove=CAN_PROVE,
        cannot_prove=CANNOT_PROVE,
    )


def goodwill_returns_csv(info: strawberry.Info) -> str | None:
    found = _stored(info)
    return returns_csv(found[1]) if found else None


def goodwill_returns_chart(
    info: strawberry.Info, redeemed: str, compensated: str, apology: str, baseline: str
) -> str | None:
    """SVG of redemption and 90-day return rates by month; the legend's words come from the page's language."""
    if any(len(label) > 80 for label in (redeemed, compensated, apology, baseline)):
        raise ApiError("chart labels are at most 80 characters")
    found = _stored(info)
    if not found or not found[1].get("months"):
        return None
    months = found[1]["months"]

    def values(key: str) -> list[float | None]:
        return [None if m[key]["too_few"] else m[key]["rate"] for m in months]

    return rates_over_time(
        [m["month"] for m in months],
        [
            (redeemed, values("redemption")),
            (compensated, values("compensated")),
            (apology, values("apology")),
            (baseline, values("baseline")),
        ],
    )


def goodwill_redemptions(info: strawberry.Info, incident_id: strawberry.ID) -> list[GoodwillRedemption]:
    runtime, caller = info.context.runtime, info.context.caller
    with runtime.db.read() as session:
        if incidents.get_for_tenant(session, caller.tenant_id, str(incident_id)) is None:
            raise ApiError("no such incident")
        found = redemptions.of_incident(session, caller.tenant_id, str(incident_id))
        return [
            GoodwillRedemption(
                kind=r.kind,
                order_id=r.order_id,
                order_number=r.order_number,
                used_at=r.used_at,
                amount=money(r.amount),
                currency=r.currency,
                source=r.source,
            )
            for r in found
        ]
