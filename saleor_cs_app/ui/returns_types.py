"""GraphQL types of what the goodwill bought (Insights → "What the goodwill buys")."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON


@strawberry.type(description="A voucher or gift card the app created, spent on an order.")
class GoodwillRedemption:
    kind: str  # voucher | gift_card
    order_id: str
    order_number: str
    used_at: datetime
    amount: str | None
    currency: str | None
    source: str  # webhook | backfill


@strawberry.type(description="The latest daily count of returning customers; null report: not counted yet.")
class GoodwillReturns:
    computed_at: datetime | None
    report: JSON | None  # care/returns.ReturnsReport as JSON (rates, bases, Wilson intervals, costs)
    can_prove: str
    cannot_prove: str
