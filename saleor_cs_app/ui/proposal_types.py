"""The customer's report on an incident, for the dashboard: the problem, the proposed fix, the photos
(as short-lived signed URLs, handed only to a verified dashboard user) and any counter-offer."""

from __future__ import annotations

import strawberry

from saleor_cs_app.store import support_reports
from saleor_cs_app.support.staff_photos import photo_url
from saleor_cs_app.ui.types import ReportFix, ReportProblem


@strawberry.type
class Photo:
    id: strawberry.ID
    url: str = strawberry.field(description="Signed; works for 15 minutes.")
    content_type: str
    width: int
    height: int


@strawberry.type
class CounterOffer:
    amount: str | None
    percent: str | None
    value: str = strawberry.field(description="What the counter-offer gives back, in the order's currency.")
    currency: str
    note: str | None


@strawberry.type
class CustomerProposal:
    problem: ReportProblem
    resolution: ReportFix
    amount: str | None = strawberry.field(description="keep_with_discount: the amount the customer proposed")
    percent: str | None = strawberry.field(description="keep_with_discount: or the percentage")
    value: str | None = strawberry.field(description="What the proposal costs; null when the shop is to decide.")
    affected_items: list[str]
    note: str | None
    state: str = strawberry.field(description="open | countered | accepted | declined")
    counter: CounterOffer | None
    merchant_note: str | None
    photos: list[Photo]


def proposal_of(root, info: strawberry.Info) -> CustomerProposal | None:
    if root.kind.value != "customer_report":
        return None
    runtime = info.context.runtime
    now = runtime.clock()
    with runtime.db.read() as session:
        report = support_reports.of_incident(session, root.tenant_id, str(root.id))
        if report is None:
            return None
        photos = support_reports.photos_of(session, root.tenant_id, report.id)
        facts = _facts(session, root)
        counter = report.counter
        return CustomerProposal(
            problem=report.problem,
            resolution=report.resolution,
            amount=_text(report.amount),
            percent=_text(report.percent),
            value=facts.get("proposal_value"),
            affected_items=[str(name) for name in facts.get("affected_items") or ()],
            note=report.note,
            state=report.state,
            counter=CounterOffer(
                amount=counter.get("amount"),
                percent=counter.get("percent"),
                value=counter["value"],
                currency=counter["currency"],
                note=counter.get("note"),
            )
            if counter
            else None,
            merchant_note=report.merchant_note,
            photos=[
                Photo(
                    id=strawberry.ID(p.id),
                    url=photo_url(runtime.settings.app_url, runtime.settings.secret_key, root.tenant_id, p.id, now),
                    content_type=p.content_type,
                    width=p.width,
                    height=p.height,
                )
                for p in photos
            ],
        )


def _facts(session, root) -> dict:
    from saleor_cs_app.store.models import Incident

    row = session.get(Incident, str(root.id))
    return (row.facts or {}) if row is not None else {}


def _text(value) -> str | None:
    return None if value is None else str(value)
