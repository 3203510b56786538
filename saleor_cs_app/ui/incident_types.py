"""The GraphQL types of incidents and tracked orders, and how store rows map onto them."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote, urlsplit

import strawberry

from saleor_cs_app.care.model import IncidentKind as _IncidentKind
from saleor_cs_app.store import incidents as incident_store
from saleor_cs_app.ui import explained, shop_sample
from saleor_cs_app.ui.event_facts import EventFacts, GoodwillDone, event_facts, goodwill_done
from saleor_cs_app.ui import order_page
from saleor_cs_app.store.models import Incident as IncidentRow
from saleor_cs_app.ui.proposal_types import CustomerProposal, proposal_of
from saleor_cs_app.ui.types import IncidentKind, IncidentSource, IncidentState, money


def dashboard_order_path(order_id: str) -> str:
    """The order's path inside the dashboard (AppBridge redirect)."""
    return f"/orders/{quote(order_id, safe='')}"


def dashboard_order_url(saleor_api_url: str, order_id: str) -> str:
    """The order in the dashboard; Saleor Cloud and the Docker setup serve it at `<api origin>/dashboard/`."""
    parts = urlsplit(saleor_api_url)
    return f"{parts.scheme}://{parts.netloc}/dashboard{dashboard_order_path(order_id)}"


@strawberry.type
class TimelineEvent:
    at: datetime
    type: str
    message: str = strawberry.field(description="The server's English line (the order note's words)")
    facts: EventFacts | None = strawberry.field(
        default=None, description="The entry's parts, for the page to word in its language; null when none"
    )


@strawberry.type
class Decision:
    offer_type: str
    offer_value: str | None
    currency: str | None
    rule: str | None
    reason: str
    blocked_by: str | None
    needs_approval: bool
    goodwill: str | None = strawberry.field(description="What was created in Saleor, once it was (English).")
    goodwill_done: GoodwillDone | None = strawberry.field(
        default=None, description="The same as parts, for the page to word in its language."
    )


@strawberry.type
class Incident:
    id: strawberry.ID
    order_id: str
    order_number: str
    order_url: str = strawberry.field(description="The order in the Saleor dashboard.")
    dashboard_path: str = strawberry.field(
        description="The order's path inside the dashboard, for AppBridge redirects."
    )
    channel: str
    kind: IncidentKind
    source: IncidentSource
    state: IncidentState
    days_late: int
    detected_at: datetime
    updated_at: datetime
    customer_email: str | None
    carrier: str | None
    warehouse: str | None
    promised_date: str | None
    expected_skus: list[str]
    sent_skus: list[str]
    note: str | None
    offer_type: str | None
    offer_value: str | None
    currency: str | None
    error: str | None
    decision: Decision | None
    offer: explained.OfferDetail | None = strawberry.field(description="The offer's parts, for a plain breakdown.")
    tenant_id: strawberry.Private[int]
    facts: strawberry.Private[dict]
    proposal: CustomerProposal | None = strawberry.field(resolver=proposal_of, description="A customer's report.")

    @strawberry.field(description="The channel's name in Saleor, as the dashboard shows it (the slug if unknown).")
    def channel_name(self, info: strawberry.Info) -> str:
        return channel_name_of(info, self.tenant_id, self.channel)

    @strawberry.field(description="The incident's products by name and price (expected, sent, reshipped, gifted).")
    def items(self, info: strawberry.Info) -> list[explained.ItemLine]:
        offered = [*self.offer.reship_skus, self.offer.sku] if self.offer else []
        skus = [*self.expected_skus, *self.sent_skus, *offered]
        return explained.items_of(info.context.runtime, self.tenant_id, self.order_id, skus)

    @strawberry.field(description="What the customer was (or will be) told, oldest first.")
    def messages(self, info: strawberry.Info) -> list[explained.CustomerMessage]:
        return explained.messages_of(info.context.runtime, self.tenant_id, str(self.id))

    @strawberry.field(description="detected → decided → (approved) → goodwill created → emailed")
    def timeline(self, info: strawberry.Info) -> list[TimelineEvent]:
        with info.context.runtime.db.read() as session:
            events = incident_store.timeline(session, self.tenant_id, str(self.id))
            return [
                TimelineEvent(at=e.at, type=e.type, message=e.message, facts=event_facts(e.type, e.message, self.facts))
                for e in events
            ]

    @classmethod
    def from_row(cls, row: IncidentRow, saleor_api_url: str) -> Incident:
        facts = row.facts or {}
        decision = row.decision
        return cls(
            id=strawberry.ID(row.id),
            order_id=row.order_id,
            order_number=row.order_number,
            order_url=dashboard_order_url(saleor_api_url, row.order_id),
            dashboard_path=dashboard_order_path(row.order_id),
            channel=row.channel_slug,
            kind=_IncidentKind(row.kind),
            source=row.source,
            state=row.state,
            days_late=row.days_late,
            detected_at=row.detected_at,
            updated_at=row.updated_at,
            customer_email=row.customer_email,
            carrier=row.carrier,
            warehouse=row.warehouse,
            promised_date=facts.get("promised_date"),
            expected_skus=[str(s) for s in facts.get("expected_skus") or ()],
            sent_skus=[str(s) for s in facts.get("sent_skus") or ()],
            note=facts.get("note"),
            offer_type=row.offer_type,
            offer_value=money(row.offer_value),
            currency=row.currency,
            error=row.error,
            decision=_decision(decision, row.goodwill_code) if decision else None,
            offer=explained.offer_detail(decision),
            tenant_id=row.tenant_id,
            facts=facts,
        )


def _decision(d: dict, goodwill_code: str | None) -> Decision:
    offer = d.get("offer") or {}
    return Decision(
        offer_type=str(offer.get("type", "apology_only")),
        offer_value=None if offer.get("value") is None else str(offer.get("value")),
        currency=offer.get("currency"),
        rule=d.get("rule"),
        reason=str(d.get("reason", "")),
        blocked_by=d.get("blocked_by"),
        needs_approval=bool(d.get("needs_approval")),
        goodwill=(d.get("goodwill") or {}).get("summary"),
        goodwill_done=goodwill_done(d, goodwill_code),
    )


@strawberry.type
class IncidentPage:
    items: list[Incident]
    total_count: int
    has_next_page: bool
    end_cursor: str | None
    channels: list[str] = strawberry.field(description="Channels that have incidents, for the filter.")
    tenant_id: strawberry.Private[int]

    @strawberry.field(description="The same channels with their names in Saleor, for the filter's labels.")
    def channel_choices(self, info: strawberry.Info) -> list[ChannelChoice]:
        return [ChannelChoice(slug=slug, name=channel_name_of(info, self.tenant_id, slug)) for slug in self.channels]


@strawberry.type
class ChannelChoice:
    slug: str
    name: str


def channel_name_of(info: strawberry.Info, tenant_id: int, slug: str) -> str:
    # The app stores slugs (webhook payloads); names come from Saleor, cached a few minutes per installation.
    return shop_sample.shop_of(info.context.runtime, tenant_id).channel_name(slug)


@strawberry.type
class OrderLine:
    sku: str | None
    name: str
    quantity: int


@strawberry.type
class TrackedOrder:
    order_id: str
    number: str
    channel: str
    order_url: str
    lines: list[OrderLine]
    incidents: list[Incident]
    tenant_id: strawberry.Private[int]

    @strawberry.field(description="The channel's name in Saleor, as the dashboard shows it (the slug if unknown).")
    def channel_name(self, info: strawberry.Info) -> str:
        return channel_name_of(info, self.tenant_id, self.channel)

    @strawberry.field(description="Each fulfilment's parcel and its tracking state.")
    def parcels(self, info: strawberry.Info) -> list[order_page.Parcel]:
        return order_page.parcels_of(info.context.runtime, self.tenant_id, self.order_id)


@strawberry.type
class ReportResult:
    incident: Incident
    created: bool = strawberry.field(description="False when this order already had an incident of this kind.")
