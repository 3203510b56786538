"""Opening an incident from a passed deadline or a signal, with the facts a message needs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from saleor_cs_app.care import promises
from saleor_cs_app.care.model import IncidentKind, IncidentSource, PromiseRules
from saleor_cs_app.store import incidents
from saleor_cs_app.store.models import Incident, TrackedOrder
from saleor_cs_app.watch.snapshot import parse_time

# Broke before the app was installed: nothing is decided, sent or given until the merchant releases it.
BACKLOG = "backlog"


def rules_for(policy, tracked: TrackedOrder) -> PromiseRules:
    # The policy's country and time zone win; the channel's Saleor defaultCountry fills the gap.
    base = policy.promises_for(tracked.channel_slug)
    return promises.rules_for_channel(base, country=tracked.facts.get("channel_country"), timezone=None)


def open_broken_promise(
    session: Session,
    tracked: TrackedOrder,
    rules: PromiseRules,
    *,
    kind: IncidentKind,
    source: IncidentSource,
    fulfillment_id: str,
    due_at: datetime | None,
    now: datetime,
    expected_skus: tuple[str, ...] = (),
    sent_skus: tuple[str, ...] = (),
    note: str | None = None,
    delivery: dict | None = None,
    before_install: bool = False,
) -> tuple[Incident, bool]:
    """`due_at` is the passed deadline behind the incident, if any (a wrong item has none).

    `delivery`: what a tracking source reported (watch/deliveries.py), kept as facts a
    message may state. `before_install`: the promise broke before the app was installed;
    the incident waits in the backlog until the merchant releases or dismisses it.
    """
    fulfilment = tracked.facts.get("fulfillments", {}).get(fulfillment_id, {})
    facts = {
        "kind": kind.value,
        "source": source.value,
        "days_late": promises.business_days_late(due_at, now, rules) if due_at is not None else 0,
        "promised_date": _customer_promise(due_at, fulfilment, tracked, rules),
        "new_expectation": None,  # never guess: the message promises an e-mail when it moves
        "expected_skus": list(expected_skus),
        "sent_skus": list(sent_skus),
        "carrier": tracked.facts.get("shipping_method_name"),
        "warehouse": fulfilment.get("warehouse"),
        "tracking_number": fulfilment.get("tracking_number"),
        "note": note,
        **(delivery or {}),
    }
    return incidents.open_incident(
        session,
        tenant_id=tracked.tenant_id,
        order_id=tracked.order_id,
        kind=kind.value,
        fulfillment_id=fulfillment_id,
        now=now,
        order_number=tracked.number,
        channel_slug=tracked.channel_slug,
        source=source.value,
        days_late=facts["days_late"],
        facts=facts,
        customer_email=tracked.facts.get("customer_email"),
        carrier=facts["carrier"],
        warehouse=facts["warehouse"],
        state=BACKLOG if before_install else "detected",
    )


def _customer_promise(due_at: datetime | None, fulfilment: dict, tracked: TrackedOrder, rules: PromiseRules):
    """The promised date a message states (ISO): for a deliver-by deadline the shop's own promise without
    the app's grace days, the same date the order page shows; any other deadline as it is."""
    if due_at is None:
        return None
    shipped_at = parse_time(fulfilment.get("created"))
    if shipped_at is not None and due_at == promises.deliver_by(shipped_at, tracked.max_delivery_days, rules):
        return promises.customer_delivery_date(shipped_at, tracked.max_delivery_days, rules).isoformat()
    return promises.promised_local_date(due_at, rules).isoformat()


def hand_over(enqueue: Callable[[str, object], None], incident: Incident) -> Callable[[], None]:
    """After commit: the incident goes on to the decision and notification steps (a backlog one waits)."""
    incident_id, waits = incident.id, incident.state == BACKLOG
    return (lambda: None) if waits else (lambda: enqueue("handle_incident", incident_id))


def broke_before_install(broke_at: datetime | None, installed_at: datetime, *, reconciling: bool) -> bool:
    """Install is not a mass mailing: what the install reconciliation finds already broken waits
    for the merchant. A webhook is news Saleor sent to the installed app, and a deadline the sweep
    finds passed while the app was down is handled as usual."""
    return reconciling and broke_at is not None and broke_at < installed_at


def delivery_facts(row, tracked: TrackedOrder, fulfillment_id: str) -> dict:
    """The incident facts a late-delivery message may state (CONTRACTS.md, tracking → messages)."""
    fulfilment = (tracked.facts.get("fulfillments") or {}).get(fulfillment_id, {})
    return {
        "delivery_state": row.state if row else None,
        "delivery_source": row.source if row else None,
        # Only a tracking source names the carrier: a shipping method ("Standard") is not one, and a message
        # must not say "Standard told us your parcel is lost" (the templates say "the carrier" then).
        "carrier_name": row.carrier_name if row else None,
        "carrier_status": row.carrier_status if row else None,
        "carrier_status_at": row.carrier_status_at.isoformat() if row and row.carrier_status_at else None,
        "carrier_location": row.carrier_location if row else None,
        "carrier_expected_date": row.carrier_expected_date.isoformat() if row and row.carrier_expected_date else None,
        "tracking_url": (row.tracking_url if row else None) or None,
        "tracking_number": (row.tracking_number if row else None) or fulfilment.get("tracking_number"),
    }
