"""A month at a glance: incidents by kind and cause, goodwill against the budget, time to e-mail."""

from __future__ import annotations

import strawberry

from saleor_cs_app.store import budget, insights as store
from saleor_cs_app.ui.errors import ApiError
from saleor_cs_app.ui.insight_types import BudgetUse, Count, Insights
from saleor_cs_app.ui.types import money


def month_insights(info: strawberry.Info, month: str | None = None) -> Insights:
    runtime, caller = info.context.runtime, info.context.caller
    month = month or budget.month_of(runtime.clock())
    try:
        store.month_bounds(month)
    except ValueError:
        raise ApiError("month must look like 2025-03") from None
    with runtime.db.read() as session:
        found = store.month_insights(session, caller.tenant_id, month)

    def counts(items) -> list[Count]:
        return [Count(label=c.label, count=c.count) for c in items]

    return Insights(
        month=found.month,
        incidents=found.incidents,
        by_kind=counts(found.by_kind),
        by_state=counts(found.by_state),
        by_carrier=counts(found.by_carrier),
        by_warehouse=counts(found.by_warehouse),
        by_sku=counts(found.by_sku),
        budget=[BudgetUse(currency=b.currency, spent=money(b.spent), budget=money(b.budget)) for b in found.budget],
        emailed=found.emailed,
        median_minutes_to_email=found.median_minutes_to_email,
    )
