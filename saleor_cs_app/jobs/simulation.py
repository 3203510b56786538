"""Replaying the last days' incidents through a candidate policy (care/simulate.py) for the Policy page."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from saleor_cs_app.care import returns as rules
from saleor_cs_app.care.model import OfferType
from saleor_cs_app.care.policy import Policy
from saleor_cs_app.care.simulate import Replay, Simulation, simulate
from saleor_cs_app.jobs.facts import incident_facts, order_facts
from saleor_cs_app.runtime import Runtime
from saleor_cs_app.store import incidents, returns
from saleor_cs_app.store.models import Incident, TrackedOrder

# What the live policy gave is only real once it was not declined (recorded as an apology) or failed.
_NOT_GIVEN = ("failed", "detected")


def simulate_recent(runtime: Runtime, tenant_id: int, policy: Policy, days: int) -> Simulation:
    since = runtime.clock() - timedelta(days=days)
    with runtime.db.read() as session:
        replays = [
            _replay(incident, order) for incident, order in incidents.incidents_with_orders(session, tenant_id, since)
        ]
    return simulate(replays, policy)


def _replay(incident: Incident, tracked: TrackedOrder) -> Replay:
    given = incident.offer_type and incident.state not in _NOT_GIVEN
    offer = OfferType(incident.offer_type) if given else OfferType.APOLOGY_ONLY
    return Replay(
        incident_id=incident.id,
        detected_at=incident.detected_at,
        incident=incident_facts(incident),
        order=order_facts(tracked.facts, tracked.order_id, tracked.created_at),
        live_offer=offer,
        live_value=Decimal(incident.offer_value or 0) if offer is not OfferType.APOLOGY_ONLY else Decimal(0),
    )


def expected_returns(
    runtime: Runtime, tenant_id: int, simulation: Simulation
) -> dict[str, tuple[rules.Expected, rules.Expected]]:
    """Per currency: the customers back within 90 days the live offers and the candidate's would bring,
    at the rates the last daily count observed for each offer type (apology only: its own group)."""
    with runtime.db.read() as session:
        stored = returns.latest(session, tenant_id)
    if stored is None:
        return {}
    report = stored[1]
    apology = _rate(report["apology"]["returns"][str(rules.COST_WINDOW)])
    found = {}
    for outcome in simulation.by_currency:
        rates = {OfferType.APOLOGY_ONLY.value: apology}
        for row in report["by_offer"]:
            if row["currency"] == outcome.currency:
                rates[row["offer_type"]] = _rate(row["returns"][str(rules.COST_WINDOW)])
        found[outcome.currency] = (
            rules.expected_returns(outcome.gave_by_offer, rates),
            rules.expected_returns(outcome.would_give_by_offer, rates),
        )
    return found


def _rate(stored: dict) -> rules.Rate:
    interval = stored.get("interval")
    return rules.Rate(
        count=stored["count"],
        base=stored["base"],
        too_few=stored["too_few"],
        rate=stored.get("rate"),
        interval=rules.Interval(interval["low"], interval["high"]) if interval else None,
    )
