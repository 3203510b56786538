"""Problems the merchant must act on, as the app's page shows them (reviewed when the page asks)."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from saleor_cs_app.problems.conditions import params_of
from saleor_cs_app.problems.review import review


@strawberry.type
class AppProblem:
    key: str
    message: str
    raised_at: datetime
    in_saleor: bool = strawberry.field(description="Also in the dashboard's app list (Saleor 3.22+).")
    code: str = strawberry.field(description="The key without its source or currency: what kind of problem")
    params: JSON | None = strawberry.field(
        description="The message's parts (amounts as written, times as ISO UTC) for the page to word; null when unread"
    )


def app_problems(info: strawberry.Info) -> list[AppProblem]:
    raised = review(info.context.runtime, info.context.caller.tenant_id)
    return [
        AppProblem(
            key=p.key,
            message=p.message,
            raised_at=p.raised_at,
            in_saleor=p.in_saleor,
            code=p.key.partition(":")[0],
            params=params_of(p.key, p.message),
        )
        for p in raised
    ]
