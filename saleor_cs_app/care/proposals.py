"""A customer's proposed fix (support page): what it costs, and whether the policy accepts it alone.

Pure: the caller reserves the budget atomically, as for any offer (see decide.py). A proposal is
only accepted without a person when a rule names customer reports explicitly (`kinds:
[customer_report]` or `sources: [customer]`), allows that kind of fix, and no limit stands in the
way. Anything else waits for the merchant: a customer who asked deserves a person's answer, never
a silent apology.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from saleor_cs_app.care.decide import Decision, Offer, approval_reason, matching_rule, money_text, quantize_money
from saleor_cs_app.care.model import (
    BudgetState,
    CustomerHistory,
    IncidentFacts,
    IncidentKind,
    IncidentSource,
    OfferType,
    OrderFacts,
    OrderLine,
)
from saleor_cs_app.care.policy import Policy


class Problem(enum.StrEnum):
    WRONG_ITEM = "wrong_item"
    DAMAGED = "damaged"
    MISSING_ITEM = "missing_item"
    NOT_ARRIVED = "not_arrived"
    OTHER = "other"


class Resolution(enum.StrEnum):
    KEEP_WITH_DISCOUNT = "keep_with_discount"
    REPLACEMENT = "replacement"
    REFUND = "refund"
    SHOP_DECIDES = "shop_decides"


# Which offer a rule must give for a proposal of this kind to be accepted without a person.
_OFFER_FOR = {
    Resolution.KEEP_WITH_DISCOUNT: OfferType.PARTIAL_REFUND,
    Resolution.REFUND: OfferType.PARTIAL_REFUND,
    Resolution.REPLACEMENT: OfferType.RESHIP,
}


class ProposalInvalid(ValueError):
    """The message names the field for the customer's form."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Proposal:
    resolution: Resolution
    amount: Decimal | None = None  # keep_with_discount, or a counter-offer: money off
    percent: Decimal | None = None  # keep_with_discount, or a counter-offer: percent of the affected lines


def countered_resolution(problem: str, asked: str | None = None) -> Resolution:
    """What a counter-offer (money back) is: for an item the customer has, keeping it at a discount; for one that
    never came, a refund. A wrong-item report names the item ordered, which never came (en-r9 #1), unless the
    customer asked to keep what they got at a discount: then the money is that discount (en-r10)."""
    if problem == Problem.WRONG_ITEM:
        return Resolution.KEEP_WITH_DISCOUNT if asked == Resolution.KEEP_WITH_DISCOUNT else Resolution.REFUND
    never_came = problem in (Problem.NOT_ARRIVED, Problem.MISSING_ITEM)
    return Resolution.REFUND if never_came else Resolution.KEEP_WITH_DISCOUNT


def agreed_to_counter(report_state: str, counter: dict | None, granted: dict | None) -> bool:
    """Whether an accepted report was settled by the shop's counter-offer, not by what the customer asked.

    A counter the customer turned down stays on the report; what was granted tells the two apart: the
    counter's value is what the accepted offer refunds (`granted`: the incident's decided offer)."""
    if report_state != "accepted" or not counter or not granted:
        return False
    refunded, offered = granted.get("refund_amount"), counter.get("value")
    return refunded not in (None, "") and offered not in (None, "") and Decimal(str(refunded)) == Decimal(str(offered))


def affected_value(lines: Iterable[OrderLine]) -> Decimal:
    return sum((max(line.unit_price, Decimal(0)) * line.quantity for line in lines), Decimal(0))


def proposal_offer(proposal: Proposal, lines: tuple[OrderLine, ...], currency: str) -> Offer | None:
    """The offer that carries the proposal out, priced; None when the shop is to decide."""
    worth = quantize_money(affected_value(lines), currency)
    if proposal.resolution is Resolution.SHOP_DECIDES:
        return None
    if proposal.resolution is Resolution.REPLACEMENT:
        skus = tuple(sku for line in lines if line.sku for sku in [line.sku] * line.quantity)
        if not skus:
            raise ProposalInvalid("lines", "the chosen items cannot be sent again")
        return Offer(OfferType.RESHIP, worth, currency, reship_skus=skus, keep_item_discount_percent=Decimal(0))
    if proposal.resolution is Resolution.REFUND:
        amount = worth
    else:
        amount = money_off(proposal, worth, currency)
    if amount <= 0:
        raise ProposalInvalid("amount", "the amount must be more than zero")
    return Offer(OfferType.PARTIAL_REFUND, amount, currency, refund_amount=amount)


def money_off(proposal: Proposal, worth: Decimal, currency: str) -> Decimal:
    """An amount or a percentage of what the affected lines cost; never more than they cost."""
    if (proposal.amount is None) == (proposal.percent is None):
        raise ProposalInvalid("amount", "give either an amount or a percentage")
    if proposal.percent is not None:
        if not Decimal(0) < proposal.percent <= 100:
            raise ProposalInvalid("amount", "the percentage must be between 1 and 100")
        return quantize_money(worth * proposal.percent / 100, currency)
    if proposal.amount <= 0:
        raise ProposalInvalid("amount", "the amount must be more than zero")
    if proposal.amount > worth:
        raise ProposalInvalid("amount", "the amount is more than the items cost")
    return quantize_money(proposal.amount, currency)


def decide_proposal(
    incident: IncidentFacts,
    order: OrderFacts,
    offer: Offer | None,
    history: CustomerHistory,
    budget: BudgetState,
    policy: Policy,
) -> Decision:
    """Accept the proposal as it is (needs_approval False) or leave it to the merchant."""
    currency = order.currency
    if offer is None:
        return _pending(Offer.apology(currency), None, "the customer lets the shop decide")
    rule = matching_rule(policy, incident, order)
    if rule is None or not _names_customers(rule.when):
        return _pending(offer, None, "no rule accepts customer proposals by itself")
    said = f"rule '{rule.name}' matched"
    if rule.offer.type is not _OFFER_FOR.get(_resolution_of(offer)):
        return _pending(offer, rule.name, f"{said}; it gives {rule.offer.type.value}, not {offer.type.value}")
    limits = policy.limits
    if history.compensations_in_window >= limits.per_customer.max:
        why = f"customer already compensated {history.compensations_in_window}× in {limits.per_customer.days} days"
        return _pending(offer, rule.name, f"{said}; {why}", "per_customer_limit")
    if limits.monthly_budget:
        monthly = limits.monthly_budget.get(currency)
        if monthly is None:
            return _pending(offer, rule.name, f"{said}; no monthly budget for {currency}", "no_currency_budget")
        if budget.used_in(currency) + offer.value > monthly:
            why = f"monthly budget {money_text(monthly, currency)} would be exceeded"
            return _pending(offer, rule.name, f"{said}; {why}", "monthly_budget")
    approval = approval_reason(rule, offer, limits.manual_approval_above)
    if approval:
        return _pending(offer, rule.name, f"{said}; {approval}")
    return Decision(
        offer, False, rule.name, f"{said} → the customer's proposal accepted ({money_text(offer.value, currency)})"
    )


def customer_report_facts(proposal_value: Decimal | None) -> IncidentFacts:
    return IncidentFacts(
        kind=IncidentKind.CUSTOMER_REPORT, source=IncidentSource.CUSTOMER, days_late=0, proposal_value=proposal_value
    )


def _names_customers(when) -> bool:
    return (when.kinds is not None and IncidentKind.CUSTOMER_REPORT in when.kinds) or (
        when.sources is not None and IncidentSource.CUSTOMER in when.sources
    )


def _resolution_of(offer: Offer) -> Resolution:
    return Resolution.REPLACEMENT if offer.type is OfferType.RESHIP else Resolution.REFUND


def _pending(offer: Offer, rule_name: str | None, reason: str, blocked_by=None) -> Decision:
    return Decision(offer, True, rule_name, f"{reason} → waits for the merchant", blocked_by)
