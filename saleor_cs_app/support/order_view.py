"""What the customer's order page shows, read from what the app stores: the order's lines, its
parcels and their latest carrier facts, and what is open — incidents and reports, in plain words.

Only facts the app holds are shown (the SPEC's evidence rule): a status comes from a carrier event
or the fulfilment, never from a guess. Merchant-only details (rule names, budget reasons) never are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy.orm import Session

from saleor_cs_app.store import incidents as incident_store
from saleor_cs_app.store import support_reports
from saleor_cs_app.store.models import TrackedOrder
from saleor_cs_app.tracking.status import latest_for_order

# Timeline events a customer is told about, by type; everything else is the merchant's business.
_EVENT_WORDS = {
    "goodwill_created": "event_goodwill",
    "reported": "event_reported",
    "proposal_accepted": "event_accepted",
    "proposal_countered": "event_countered",
    "proposal_declined": "event_declined",
}

# Broken before the install and not released by the merchant, or dismissed: nothing was said or given.
_NOT_FOR_THE_CUSTOMER = ("backlog", "dismissed")

_REQUEST_WORDS = {
    "event_reported": "event_requested",
    "event_accepted": "event_request_approved",
    "event_declined": "event_request_declined",
}


@dataclass(frozen=True)
class Line:
    line_id: str
    name: str
    quantity: int
    unit_price: Decimal
    held: bool  # an open report covers it


@dataclass(frozen=True)
class Parcel:
    tracking_number: str | None
    tracking_url: str | None
    status: str | None  # the carrier's own words, when a carrier event gave them
    status_at: str | None  # ISO date of that event
    expected: str | None  # ISO date the carrier expects to deliver, when it said so


@dataclass(frozen=True)
class Story:
    """One running incident or report: what it is, where it stands, what happened, in order."""

    id: str
    heading_key: str
    heading_values: dict
    state_key: str | None
    events: list[tuple[str, str]]  # (ISO timestamp, string key)
    counter: dict | None = None  # the shop's offer waiting for the customer's answer
    report_id: str | None = None
    merchant_note: str | None = None
    request: str | None = None  # a change asked for before shipping: later_delivery | change_variant
    request_details: str | None = None


@dataclass(frozen=True)
class OrderView:
    tenant_id: int
    order_id: str
    number: str
    currency: str
    language_code: str | None
    channel_country: str | None
    lines: list[Line]
    parcels: list[Parcel]
    stories: list[Story] = field(default_factory=list)


def load(session: Session, tracked: TrackedOrder) -> OrderView:
    facts = tracked.facts or {}
    held = support_reports.held_lines(session, tracked.tenant_id, tracked.order_id)
    lines = [
        Line(
            line_id=str(line.get("line_id") or ""),
            name=str(line.get("name") or line.get("sku") or ""),
            quantity=int(line.get("quantity", 0)),
            unit_price=Decimal(str(line.get("unit_price", "0"))),
            held=str(line.get("line_id")) in held,
        )
        for line in facts.get("lines", [])
        if line.get("line_id")
    ]
    found = [
        incident
        for incident in incident_store.open_for_order(session, tracked.tenant_id, tracked.order_id)
        if incident.state not in _NOT_FOR_THE_CUSTOMER
    ]
    reports = {r.incident_id: r for r in support_reports.for_order(session, tracked.tenant_id, tracked.order_id)}
    return OrderView(
        tenant_id=tracked.tenant_id,
        order_id=tracked.order_id,
        number=tracked.number,
        currency=facts.get("currency") or "USD",
        language_code=facts.get("language_code"),
        channel_country=facts.get("channel_country"),
        lines=lines,
        parcels=_parcels(facts, latest_for_order(session, tracked.tenant_id, tracked.order_id)),
        stories=[_story(session, incident, reports.get(incident.id)) for incident in found],
    )


def _parcels(facts: dict, statuses) -> list[Parcel]:
    """Each fulfilment with the tracking engineer's latest carrier facts for it, when there are any."""
    latest = {status.fulfillment_id: status for status in statuses}
    parcels = []
    for fulfillment_id, fulfilment in (facts.get("fulfillments") or {}).items():
        seen = latest.get(fulfillment_id)
        number = (seen.tracking_number if seen else None) or fulfilment.get("tracking_number")
        pasted_link = number if number and number.startswith(("https://", "http://")) else None
        url = (seen.tracking_url if seen else None) or pasted_link
        parcels.append(
            Parcel(
                tracking_number=None if number == pasted_link else number,
                tracking_url=url,
                status=seen.carrier_status if seen else None,
                status_at=seen.carrier_status_at.date().isoformat() if seen and seen.carrier_status_at else None,
                expected=seen.carrier_expected_date.isoformat() if seen and seen.carrier_expected_date else None,
            )
        )
    return parcels


def _story(session: Session, incident, report) -> Story:
    events = []
    for event in incident_store.timeline(session, incident.tenant_id, incident.id):
        if event.type == "detected":
            continue  # the story's heading says it
        key = "event_emailed" if event.type.startswith("emailed_") else _EVENT_WORDS.get(event.type)
        if key and (incident.facts or {}).get("request"):
            key = _REQUEST_WORDS.get(key, key)
        if key:
            events.append((event.at.isoformat(), key))
    if report is None:
        heading = f"event_detected_{incident.kind}"
        return Story(id=incident.id, heading_key=heading, heading_values={}, state_key=None, events=events)
    return Story(
        id=incident.id,
        heading_key="report_problem_label",
        heading_values={"problem": f"problem_{report.problem}", "fix": f"fix_{report.resolution}"},
        state_key=f"state_{report.state}",
        events=events,
        counter=report.counter if report.state == "countered" else None,
        report_id=report.id,
        merchant_note=report.merchant_note,
        request=(incident.facts or {}).get("request"),
        request_details=_request_details(incident.facts or {}),
    )


def _request_details(facts: dict) -> str | None:
    if facts.get("not_before"):
        return facts["not_before"]  # ISO; the page writes it in the customer's language
    if facts.get("request") == "change_variant":
        return f"{', '.join(facts.get('affected_items') or [])}: {facts.get('note') or ''}"
    return None
