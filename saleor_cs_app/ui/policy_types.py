"""The GraphQL types of the policy document, its versions, validation and simulation."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from saleor_cs_app.care import situations
from saleor_cs_app.care.model import IncidentKind, OfferType
from saleor_cs_app.store.models import PolicyVersion


@strawberry.type
class PolicyVersionInfo:
    version: int
    created_at: datetime
    created_by: str

    @classmethod
    def from_row(cls, row: PolicyVersion) -> PolicyVersionInfo:
        return cls(version=row.version, created_at=row.created_at, created_by=row.created_by)


@strawberry.type
class UnfitOffer:
    offer: str
    reason: str = strawberry.field(description="Why, in the words of the policy's refusal at rules[N].offer.")


@strawberry.type
class KindOffers:
    """Which offers a rule naming this kind may give (care/situations.py): what the rule editor offers."""

    kind: str
    offers: list[str] = strawberry.field(description="The offers that fit, in the policy's order.")
    unfit: list[UnfitOffer]

    @classmethod
    def of(cls, kind: IncidentKind) -> KindOffers:
        unfit = [(offer, situations.why_unfit(kind, offer)) for offer in OfferType]
        return cls(
            kind=kind.value,
            offers=[offer.value for offer in situations.offers_for(kind)],
            unfit=[UnfitOffer(offer=offer.value, reason=reason) for offer, reason in unfit if reason is not None],
        )


@strawberry.type
class Policy:
    document: JSON
    version: int | None = strawberry.field(description="The live version; null before anything was saved.")
    created_at: datetime | None
    created_by: str | None
    history: list[PolicyVersionInfo]

    @strawberry.field(description="For every incident kind: the offers a rule naming it may give; why not the rest.")
    def offer_fit(self) -> list[KindOffers]:
        return [KindOffers.of(kind) for kind in IncidentKind]


@strawberry.type
class PolicyError:
    path: str = strawberry.field(description="Where in the document, e.g. rules[2].offer.gift_card.amount")
    message: str


@strawberry.type
class UpdatePolicyResult:
    ok: bool
    errors: list[PolicyError]
    policy: Policy | None
    notice: str | None = strawberry.field(default=None, description="Saved, but worth knowing (e.g. Reply-To)")


@strawberry.type
class ValidatePolicyResult:
    ok: bool
    errors: list[PolicyError]


@strawberry.type(description="Customers expected back within 90 days, at the rates the daily count observed.")
class ExpectedReturns:
    incidents: int
    unknown: int = strawberry.field(description="Incidents whose offer has too few outcomes to tell")
    returning: float | None
    low: float | None
    high: float | None


@strawberry.type
class SimulationCurrency:
    currency: str
    incidents: int
    would_give: int
    would_cost: str
    would_need_approval: int
    blocked_by_limits: int
    gave: int = strawberry.field(description="What the live policy gave (from the recorded decisions).")
    gave_cost: str
    would_return: ExpectedReturns | None = None  # null: not counted yet (jobs/returns_count.py)
    gave_return: ExpectedReturns | None = None


@strawberry.type
class SimulatedOffer:
    type: str
    value: str
    currency: str


@strawberry.type
class SimulationChange:
    incident_id: str
    order_number: str
    kind: str
    live: str = strawberry.field(description="In English; liveOffer has the parts")
    simulated: str = strawberry.field(description="In English; simulatedOffer has the parts")
    reason: str = strawberry.field(description="In English; rule, blockedBy and needsApproval are its parts")
    live_offer: SimulatedOffer = strawberry.field(description="What the live policy gave")
    simulated_offer: SimulatedOffer = strawberry.field(description="What this policy would give")
    rule: str | None = strawberry.field(description="The rule that matched, also when a limit blocked it")
    blocked_by: str | None = strawberry.field(description="per_customer_limit | monthly_budget | no_currency_budget")
    needs_approval: bool


@strawberry.type
class SimulationResult:
    ok: bool
    errors: list[PolicyError]
    days: int
    incidents: int
    currencies: list[SimulationCurrency]
    changes: list[SimulationChange]
    more_changes: int
