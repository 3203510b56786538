"""What a candidate policy would have given: past incidents replayed through decide(), in order.

The replay starts from an empty budget and no prior compensations at the start of the window and
then holds the limits the way the live flow does: each offer the candidate gives counts against
its month's budget and the customer's per-customer window for the incidents after it. Offers that
would wait for a person are counted as given (the merchant usually approves them) and reported
separately. Gift product prices are unknown here, as they are in the live decision, so they cost 0.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from saleor_cs_app.care.decide import decide
from saleor_cs_app.care.model import BudgetState, CustomerHistory, IncidentFacts, OfferType, OrderFacts
from saleor_cs_app.care.policy import Policy

MAX_CHANGES = 50  # the UI lists the decisions that would differ; more than this is noise


@dataclass(frozen=True)
class Replay:
    """One past incident, with what the live policy actually gave for it."""

    incident_id: str
    detected_at: datetime
    incident: IncidentFacts
    order: OrderFacts
    live_offer: OfferType  # apology_only when it was declined, failed or blocked
    live_value: Decimal


@dataclass
class CurrencyOutcome:
    currency: str
    incidents: int = 0
    would_give: int = 0  # offers other than an apology
    would_cost: Decimal = Decimal(0)
    would_need_approval: int = 0
    blocked_by_limits: int = 0
    gave: int = 0
    gave_cost: Decimal = Decimal(0)
    # Incidents per offer type, for the returns each would bring (care/returns.expected_returns).
    would_give_by_offer: dict[str, int] = field(default_factory=dict)
    gave_by_offer: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Change:
    """An incident the candidate policy would have handled differently."""

    incident_id: str
    order_number: str
    kind: str
    live: str
    simulated: str
    reason: str
    # The same as parts, for a page that words them in its own language.
    currency: str = ""
    live_offer: OfferType = OfferType.APOLOGY_ONLY
    live_value: Decimal = Decimal(0)
    simulated_offer: OfferType = OfferType.APOLOGY_ONLY
    simulated_value: Decimal = Decimal(0)
    rule: str | None = None
    blocked_by: str | None = None
    needs_approval: bool = False


@dataclass(frozen=True)
class Simulation:
    incidents: int
    by_currency: tuple[CurrencyOutcome, ...]
    changes: tuple[Change, ...] = field(default=())
    more_changes: int = 0


def simulate(replays: Iterable[Replay], policy: Policy) -> Simulation:
    ordered = sorted(replays, key=lambda r: (r.detected_at, r.incident_id))
    outcomes: dict[str, CurrencyOutcome] = {}
    used: dict[tuple[str, str], Decimal] = defaultdict(Decimal)  # (month, currency) → given so far
    given_to: dict[str, list[datetime]] = defaultdict(list)  # customer e-mail → when they were compensated
    changes: list[Change] = []
    more = 0
    window = timedelta(days=policy.limits.per_customer.days)

    for replay in ordered:
        currency, month = replay.order.currency, replay.detected_at.strftime("%Y-%m")
        email = (replay.order.customer_email or "").lower()
        earlier = [t for t in given_to.get(email, ()) if t > replay.detected_at - window] if email else []
        decision = decide(
            replay.incident,
            replay.order,
            CustomerHistory(len(earlier)),
            BudgetState(used={currency: used[(month, currency)]}),
            policy,
        )
        out = outcomes.setdefault(currency, CurrencyOutcome(currency))
        out.incidents += 1
        offer = decision.offer
        out.would_give_by_offer[offer.type.value] = out.would_give_by_offer.get(offer.type.value, 0) + 1
        out.gave_by_offer[replay.live_offer.value] = out.gave_by_offer.get(replay.live_offer.value, 0) + 1
        if offer.type is not OfferType.APOLOGY_ONLY:
            out.would_give += 1
            out.would_cost += offer.value
            out.would_need_approval += decision.needs_approval
            used[(month, currency)] += offer.value
            if email:
                given_to[email].append(replay.detected_at)
        if decision.blocked_by is not None:
            out.blocked_by_limits += 1
        if replay.live_offer is not OfferType.APOLOGY_ONLY:
            out.gave += 1
            out.gave_cost += replay.live_value

        live = _label(replay.live_offer, replay.live_value, currency)
        simulated = _label(offer.type, offer.value, currency)
        if live != simulated:
            if len(changes) < MAX_CHANGES:
                changes.append(
                    Change(
                        replay.incident_id,
                        replay.order.number,
                        replay.incident.kind.value,
                        live,
                        simulated,
                        decision.reason,
                        currency,
                        replay.live_offer,
                        replay.live_value,
                        offer.type,
                        offer.value,
                        decision.rule_name,
                        decision.blocked_by,
                        decision.needs_approval,
                    )
                )
            else:
                more += 1

    return Simulation(
        incidents=len(ordered),
        by_currency=tuple(outcomes[c] for c in sorted(outcomes)),
        changes=tuple(changes),
        more_changes=more,
    )


def _label(offer: OfferType, value: Decimal, currency: str) -> str:
    if offer is OfferType.APOLOGY_ONLY:
        return "apology only"
    return f"{offer.value.replace('_', ' ')} ({currency} {value})"
