"""Who gets what: the pure decision from an incident, the order, and the policy.

decide() only computes. The caller reserves `offer.value` against the month's budget atomically in the
database (SPEC §6: never exceeded, also under concurrent workers) and decides again with fresh numbers
when the reservation loses a race.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from types import MappingProxyType
from typing import Final, Literal

from saleor_cs_app.care import situations
from saleor_cs_app.care.model import BudgetState, CustomerHistory, IncidentFacts, OfferType, OrderFacts
from saleor_cs_app.care.policy import (
    FreeShippingVoucher,
    GiftCard,
    GiftProduct,
    OfferSpec,
    PartialRefund,
    Policy,
    Reship,
    Rule,
    When,
    amount_in,
)

PER_CUSTOMER_LIMIT: Final = "per_customer_limit"
MONTHLY_BUDGET: Final = "monthly_budget"
NO_CURRENCY_BUDGET: Final = "no_currency_budget"
BlockedBy = Literal["per_customer_limit", "monthly_budget", "no_currency_budget"]

# ISO 4217 minor units where they are not 2.
ZERO_DECIMAL_CURRENCIES = frozenset("BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF".split())
THREE_DECIMAL_CURRENCIES = frozenset("BHD IQD JOD KWD LYD OMR TND".split())

_NO_PRICES: Mapping[str, Decimal] = MappingProxyType({})


def quantize_money(amount: Decimal, currency: str) -> Decimal:
    """Round half up to the currency's minor unit (0 places for JPY, 3 for KWD, else 2)."""
    places = 0 if currency in ZERO_DECIMAL_CURRENCIES else 3 if currency in THREE_DECIMAL_CURRENCIES else 2
    return Decimal(amount).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Offer:
    """What the customer is given, and what it costs the shop (`value`, in the order's currency)."""

    type: OfferType
    value: Decimal
    currency: str
    gift_card_amount: Decimal | None = None  # gift_card
    expires_in_days: int | None = None  # gift_card, free_shipping_voucher; None = never expires
    sku: str | None = None  # gift_product
    quantity: int | None = None  # gift_product
    refund_amount: Decimal | None = None  # partial_refund
    keep_item_discount_percent: Decimal | None = None  # reship
    reship_skus: tuple[str, ...] = ()  # reship: expected but not sent, one entry per unit
    kept_items_discount: Decimal | None = None  # reship: the discount on the wrongly sent items they keep

    @classmethod
    def apology(cls, currency: str) -> Offer:
        return cls(OfferType.APOLOGY_ONLY, quantize_money(Decimal(0), currency), currency)


@dataclass(frozen=True)
class Decision:
    offer: Offer
    needs_approval: bool
    rule_name: str | None  # the rule that matched, also when a limit then blocked its offer
    reason: str  # for people: "rule 'Late' matched; monthly budget EUR 500 reached → apology only"
    blocked_by: BlockedBy | None = None


def decide(
    incident: IncidentFacts,
    order: OrderFacts,
    history: CustomerHistory,
    budget: BudgetState,
    policy: Policy,
    *,
    gift_product_prices: Mapping[str, Decimal] = _NO_PRICES,
) -> Decision:
    """First matching rule → its offer, priced; then the limits, then whether a person must approve.

    `gift_product_prices` are catalogue unit prices by SKU in the order's currency: for gift products,
    and for reship SKUs that are not among the order's lines (a wrongly sent item usually is not).
    """
    currency = order.currency
    rule = matching_rule(policy, incident, order)
    if rule is None:
        return _apology(currency, None, "no rule matched → apology only")
    said = f"rule '{rule.name}' matched"
    offer, problem = _price(rule.offer, incident, order, gift_product_prices)
    if offer is None:
        return _apology(currency, rule.name, f"{said}; {problem} → apology only")
    if offer.type is OfferType.APOLOGY_ONLY:
        return _apology(currency, rule.name, f"{said} → apology only")

    limits = policy.limits
    cap = limits.per_customer
    if history.compensations_in_window >= cap.max:
        why = f"customer already compensated {history.compensations_in_window}× in {cap.days} days (max {cap.max})"
        return _apology(currency, rule.name, f"{said}; {why} → apology only", PER_CUSTOMER_LIMIT)

    if limits.monthly_budget:  # an empty map means no budget cap at all
        monthly = limits.monthly_budget.get(currency)
        if monthly is None:
            why = f"no monthly budget for {currency}"
            return _apology(currency, rule.name, f"{said}; {why} → apology only", NO_CURRENCY_BUDGET)
        used = budget.used_in(currency)
        if used + offer.value > monthly:
            why = (
                f"monthly budget {money_text(monthly, currency)} reached "
                f"({money_text(used, currency)} used, offer {money_text(offer.value, currency)})"
            )
            return _apology(currency, rule.name, f"{said}; {why} → apology only", MONTHLY_BUDGET)

    reason = f"{said} → {_describe(offer)}"
    approval = approval_reason(rule, offer, limits.manual_approval_above)
    if approval:
        reason += f"; needs approval: {approval}"
    return Decision(offer, bool(approval), rule.name, reason)


def matching_rule(policy: Policy, incident: IncidentFacts, order: OrderFacts) -> Rule | None:
    """The first rule whose every `when` key holds and whose offer fits the incident's kind, or None.

    A rule that names its kinds is refused by the policy when its offer does not fit one of them; a rule
    that names none is for every kind its offer fits (no reship for an order that never left)."""
    return next(
        (
            rule
            for rule in policy.rules
            if _holds(rule.when, incident, order) and situations.why_unfit(incident.kind, rule.offer.type) is None
        ),
        None,
    )


def _holds(when: When, incident: IncidentFacts, order: OrderFacts) -> bool:
    if when.kinds is not None and incident.kind not in when.kinds:
        return False
    if when.min_days_late is not None and incident.days_late < when.min_days_late:
        return False
    if when.channels is not None and order.channel_slug not in when.channels:
        return False
    if when.min_order_total is not None:
        low = amount_in(when.min_order_total, order.currency)
        if low is None or order.total < low:  # a map without this currency never matches
            return False
    if when.max_order_total is not None:
        high = amount_in(when.max_order_total, order.currency)
        if high is None or order.total > high:
            return False
    if when.sources is not None and incident.source not in when.sources:
        return False
    if when.max_proposal_value is not None:
        cap = amount_in(when.max_proposal_value, order.currency)
        if cap is None or incident.proposal_value is None or incident.proposal_value > cap:
            return False
    # Unknown (None) never satisfies a first_order condition either way.
    return when.first_order is None or order.is_first_order is when.first_order


def _price(
    spec: OfferSpec, incident: IncidentFacts, order: OrderFacts, prices: Mapping[str, Decimal]
) -> tuple[Offer | None, str]:
    """The concrete offer for this order, or None and why it cannot be given."""
    cur, params = order.currency, spec.params
    q = partial(quantize_money, currency=cur)

    if isinstance(params, GiftCard):
        if params.amount is not None:
            amount = amount_in(params.amount, cur)
            if amount is None:
                return None, f"gift card amount has no {cur} entry"
        else:
            amount = order.total * params.percent_of_order / 100
            if params.max_amount is not None:
                ceiling = amount_in(params.max_amount, cur)
                if ceiling is None:
                    return None, f"gift card max_amount has no {cur} entry"
                amount = min(amount, ceiling)
        amount = q(amount)
        if amount <= 0:
            return None, "gift card would be worth nothing"
        offer = Offer(OfferType.GIFT_CARD, amount, cur, gift_card_amount=amount, expires_in_days=params.expires_in_days)
        return offer, ""

    if isinstance(params, FreeShippingVoucher):
        value = q(max(order.shipping_price, Decimal(0)))
        if value <= 0:  # free shipping or click and collect: "delivery on us" would be an empty promise
            return None, "the shipping was free, so a free-shipping voucher would be worth nothing"
        return Offer(OfferType.FREE_SHIPPING_VOUCHER, value, cur, expires_in_days=params.expires_in_days), ""

    if isinstance(params, GiftProduct):
        unit = prices.get(params.sku, Decimal(0))  # unknown price: counted as 0 (spec)
        value = q(max(unit, Decimal(0)) * params.quantity)
        return Offer(OfferType.GIFT_PRODUCT, value, cur, sku=params.sku, quantity=params.quantity), ""

    if isinstance(params, PartialRefund):
        if params.percent is not None:
            amount = order.total * params.percent / 100
        else:
            fixed = amount_in(params.amount, cur)
            if fixed is None:
                return None, f"refund amount has no {cur} entry"
            amount = min(fixed, order.total)
        amount = q(amount)
        if amount <= 0:
            return None, "nothing to refund"
        return Offer(OfferType.PARTIAL_REFUND, amount, cur, refund_amount=amount), ""

    if isinstance(params, Reship):
        expected, sent = Counter(incident.expected_skus), Counter(incident.sent_skus)
        missing, wrong = expected - sent, sent - expected
        if not missing:
            return None, "the incident names no missing item to reship"
        unit = partial(_unit_price, order=order, prices=prices)
        missing_value = q(sum((unit(sku) * n for sku, n in missing.items()), Decimal(0)))
        wrong_value = sum((unit(sku) * n for sku, n in wrong.items()), Decimal(0))
        discount = q(wrong_value * params.keep_item_discount_percent / 100)
        offer = Offer(
            OfferType.RESHIP,
            missing_value + discount,
            cur,
            keep_item_discount_percent=params.keep_item_discount_percent,
            reship_skus=tuple(missing.elements()),
            kept_items_discount=discount,
        )
        return offer, ""

    return Offer.apology(cur), ""


def _unit_price(sku: str, order: OrderFacts, prices: Mapping[str, Decimal]) -> Decimal:
    """What the order charged for `sku`, else its catalogue price, else 0."""
    for line in order.lines:
        if line.sku == sku:
            return max(line.unit_price, Decimal(0))
    return max(prices.get(sku, Decimal(0)), Decimal(0))


def approval_reason(rule: Rule, offer: Offer, thresholds: Mapping[str, Decimal]) -> str:
    """Why a person must approve the offer first, or "" when it may go out by itself."""
    if rule.approval == "manual":
        return "the rule asks for manual approval"
    if not thresholds:  # an empty map: no value threshold
        return ""
    threshold = thresholds.get(offer.currency)
    if threshold is None:
        return f"no approval threshold for {offer.currency}"
    if offer.value > threshold:
        return f"{money_text(offer.value, offer.currency)} is above {money_text(threshold, offer.currency)}"
    return ""


def _apology(currency: str, rule_name: str | None, reason: str, blocked_by: BlockedBy | None = None) -> Decision:
    # An apology costs nothing: it never waits for a person and never touches the budget.
    return Decision(Offer.apology(currency), False, rule_name, reason, blocked_by)


def money_text(amount: Decimal, currency: str) -> str:
    """An amount as the decision's reason says it: "USD 15.00"."""
    return f"{currency} {amount}"


def _describe(offer: Offer) -> str:
    worth = money_text(offer.value, offer.currency)
    if offer.type is OfferType.GIFT_CARD:
        return f"gift card of {worth}"
    if offer.type is OfferType.FREE_SHIPPING_VOUCHER:
        return f"free shipping voucher worth {worth}"
    if offer.type is OfferType.GIFT_PRODUCT:
        return f"gift product {offer.quantity}× {offer.sku} worth {worth}"
    if offer.type is OfferType.PARTIAL_REFUND:
        return f"partial refund of {worth}"
    return f"reship of {', '.join(offer.reship_skus)} worth {worth}"
