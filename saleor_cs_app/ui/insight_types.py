"""The GraphQL types of the month's insights."""

from __future__ import annotations

import strawberry


@strawberry.type
class Count:
    label: str
    count: int


@strawberry.type
class BudgetUse:
    currency: str
    spent: str
    budget: str | None = strawberry.field(description="The policy's monthly budget; null when uncapped.")


@strawberry.type
class Insights:
    month: str
    incidents: int
    by_kind: list[Count]
    by_state: list[Count]
    by_carrier: list[Count]
    by_warehouse: list[Count]
    by_sku: list[Count]
    budget: list[BudgetUse]
    emailed: int
    median_minutes_to_email: float | None
