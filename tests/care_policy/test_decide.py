import ast
import dataclasses
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saleor_cs_app.care import decide as decide_module
from saleor_cs_app.care import policy as policy_module
from saleor_cs_app.care.decide import Decision, Offer, decide, matching_rule, quantize_money
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
from saleor_cs_app.care.policy_io import DEFAULT_POLICY, parse_policy
from tests.care_policy.test_policy import CHANNELS, CURRENCIES, SKUS, policy_documents

D = Decimal
LATE = IncidentKind.LATE_SHIPMENT


def an_order(**changes):
    order = OrderFacts(
        order_id="T3JkZXI6MQ==",
        number="1001",
        channel_slug="eu",
        currency="EUR",
        total=D("80.00"),
        shipping_price=D("4.90"),
        customer_email="ann@example.com",
        customer_first_name="Ann",
        language="en",
        created_at=datetime(2024, 3, 4, 10, tzinfo=timezone.utc),
        lines=(OrderLine("A", "Mug", 2, D("12.50")), OrderLine("B", "Plate", 1, D("30.00"))),
        is_first_order=False,
    )
    return dataclasses.replace(order, **changes)


def an_incident(kind=LATE, **changes):
    return IncidentFacts(kind=kind, source=IncidentSource.DEADLINE, days_late=changes.pop("days_late", 2), **changes)


def policy_with(*rules, **limits):
    named = [{"name": f"rule {i}", **r} if "name" not in r else r for i, r in enumerate(rules)]
    return parse_policy({"rules": named, "limits": {"per_customer": {"max": 5}, **limits}})


def decide_with(policy, incident=None, order=None, history=None, budget=None, **kwargs):
    return decide(
        incident or an_incident(),
        order or an_order(),
        history or CustomerHistory(),
        budget or BudgetState(),
        policy,
        **kwargs,
    )


def offer_value(offer, **kwargs):
    return decide_with(policy_with({"offer": offer}), **kwargs).offer


# -- matching --------------------------------------------------------------------------------------------------------


def test_no_matching_rule_means_apology_only():
    decision = decide_with(policy_with({"when": {"kinds": ["wrong_item"]}, "offer": {"free_shipping_voucher": {}}}))
    assert decision == Decision(Offer.apology("EUR"), False, None, "no rule matched → apology only")


def test_the_first_matching_rule_wins():
    policy = policy_with(
        {"name": "Wrong", "when": {"kinds": ["wrong_item"]}, "offer": {"gift_card": {"amount": 1}}},
        {"name": "Late", "when": {"kinds": ["late_shipment"]}, "offer": {"gift_card": {"amount": 2}}},
        {"name": "Any", "offer": {"gift_card": {"amount": 3}}},
    )
    decision = decide_with(policy)
    assert decision.rule_name == "Late" and decision.offer.value == D("2.00")
    assert decide_with(policy, an_incident(IncidentKind.LATE_DELIVERY)).rule_name == "Any"


@pytest.mark.parametrize(
    ("when", "matches", "misses"),
    [
        ({"kinds": ["late_delivery"]}, {"incident": an_incident(IncidentKind.LATE_DELIVERY)}, {}),
        ({"min_days_late": 3}, {"incident": an_incident(days_late=3)}, {"incident": an_incident(days_late=2)}),
        ({"channels": ["pl", "eu"]}, {}, {"order": an_order(channel_slug="de")}),
        ({"min_order_total": 80}, {}, {"order": an_order(total=D("79.99"))}),
        ({"min_order_total": {"EUR": 50}}, {}, {"order": an_order(currency="PLN")}),
        ({"max_order_total": 80}, {}, {"order": an_order(total=D("80.01"))}),
        ({"max_order_total": {"PLN": 500}}, {"order": an_order(currency="PLN")}, {}),
        ({"first_order": True}, {"order": an_order(is_first_order=True)}, {"order": an_order(is_first_order=None)}),
        ({"first_order": False}, {}, {"order": an_order(is_first_order=None)}),
        (
            {
                "kinds": ["late_shipment"],
                "min_days_late": 1,
                "channels": ["eu"],
                "min_order_total": 10,
                "max_order_total": 100,
                "first_order": False,
            },
            {},
            {"incident": an_incident(days_late=0)},
        ),
    ],
)
def test_every_when_key_must_hold(when, matches, misses):
    policy = policy_with({"name": "R", "when": when, "offer": {"free_shipping_voucher": {}}})
    assert decide_with(policy, **matches).rule_name == "R"
    if misses:
        assert decide_with(policy, **misses).rule_name is None
        assert matching_rule(policy, misses.get("incident", an_incident()), misses.get("order", an_order())) is None


def test_the_default_policy_sends_a_voucher_when_late_and_reships_a_wrong_item_after_approval():
    late = decide(an_incident(), an_order(), CustomerHistory(), BudgetState(), DEFAULT_POLICY)
    assert (late.offer.type, late.offer.value, late.needs_approval) == (
        OfferType.FREE_SHIPPING_VOUCHER,
        D("4.90"),
        False,
    )
    wrong = decide(
        an_incident(IncidentKind.WRONG_ITEM, expected_skus=("A",), sent_skus=("B",)),
        an_order(),
        CustomerHistory(),
        BudgetState(),
        DEFAULT_POLICY,
    )
    assert wrong.offer.type is OfferType.RESHIP and wrong.needs_approval
    assert wrong.offer.value == D("12.50"), "the right item sent free; no keep-it discount by default"


# -- what each offer is worth ----------------------------------------------------------------------------------------


def test_a_gift_card_is_worth_its_amount():
    offer = offer_value({"gift_card": {"amount": 15, "expires_in_days": 30}})
    assert offer == Offer(OfferType.GIFT_CARD, D("15.00"), "EUR", gift_card_amount=D("15.00"), expires_in_days=30)


def test_a_gift_card_amount_map_picks_the_order_currency():
    offer = {"gift_card": {"amount": {"EUR": 10, "PLN": 45}}}
    assert offer_value(offer, order=an_order(currency="PLN")).value == D("45.00")
    decision = decide_with(policy_with({"name": "Map", "offer": offer}), order=an_order(currency="SEK"))
    assert decision.offer.type is OfferType.APOLOGY_ONLY and decision.blocked_by is None
    assert decision.reason == "rule 'Map' matched; gift card amount has no SEK entry → apology only"


def test_a_percent_gift_card_is_capped_by_max_amount():
    assert offer_value({"gift_card": {"percent_of_order": 10}}).value == D("8.00")
    assert offer_value({"gift_card": {"percent_of_order": 10, "max_amount": 5}}).value == D("5.00")
    capped = {"gift_card": {"percent_of_order": 10, "max_amount": {"PLN": 20}}}
    assert offer_value(capped).type is OfferType.APOLOGY_ONLY  # no EUR cap: no unbounded card


def test_a_free_shipping_voucher_is_worth_the_shipping_price():
    offer = offer_value({"free_shipping_voucher": {"expires_in_days": 60}}, order=an_order(shipping_price=D("7.45")))
    assert (offer.type, offer.value, offer.expires_in_days) == (OfferType.FREE_SHIPPING_VOUCHER, D("7.45"), 60)


def test_a_gift_product_is_worth_its_price_times_quantity_or_zero_when_unknown():
    spec = {"gift_product": {"sku": "MUG", "quantity": 3}}
    offer = offer_value(spec, gift_product_prices={"MUG": D("4.99")})
    assert (offer.value, offer.sku, offer.quantity) == (D("14.97"), "MUG", 3)
    assert offer_value(spec).value == D("0.00")


def test_a_partial_refund_is_a_percent_of_the_total_or_an_amount_capped_at_it():
    assert offer_value({"partial_refund": {"percent": 25}}).refund_amount == D("20.00")
    assert offer_value({"partial_refund": {"amount": 30}}).value == D("30.00")
    assert offer_value({"partial_refund": {"amount": 300}}).value == D("80.00")
    assert offer_value({"partial_refund": {"amount": 5}}, order=an_order(total=D(0))).type is OfferType.APOLOGY_ONLY


def test_a_reship_is_worth_the_missing_items_plus_the_discount_on_the_kept_ones():
    incident = an_incident(IncidentKind.WRONG_ITEM, expected_skus=("A", "A", "B"), sent_skus=("A", "X"))
    offer = offer_value(
        {"reship": {"keep_item_discount_percent": 50}}, incident=incident, gift_product_prices={"X": D("9.99")}
    )
    # Missing: one A (12.50) and B (30.00); kept X at 50 % of 9.99.
    assert offer.reship_skus == ("A", "B")
    assert offer.kept_items_discount == D("5.00")
    assert offer.value == D("42.50") + D("5.00")
    assert offer.keep_item_discount_percent == 50


def test_a_reship_with_nothing_missing_is_an_apology():
    incident = an_incident(IncidentKind.WRONG_ITEM, expected_skus=(), sent_skus=("X",))
    assert offer_value({"reship": {}}, incident=incident).type is OfferType.APOLOGY_ONLY


def test_an_apology_only_rule_is_worth_nothing_and_never_waits():
    decision = decide_with(policy_with({"name": "Sorry", "offer": "apology_only", "approval": "manual"}))
    assert decision == Decision(Offer.apology("EUR"), False, "Sorry", "rule 'Sorry' matched → apology only")
    assert decision.offer.value == 0


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        (D("10.005"), "EUR", D("10.01")),
        (D("10.004"), "EUR", D("10.00")),
        (D("1234.5"), "JPY", D("1235")),
        (D("99.4"), "KRW", D("99")),
        (D("1.0005"), "KWD", D("1.001")),
    ],
)
def test_money_rounds_half_up_to_the_currency_minor_unit(amount, currency, expected):
    assert str(quantize_money(amount, currency)) == str(expected)


def test_a_jpy_gift_card_has_no_decimals():
    offer = offer_value({"gift_card": {"percent_of_order": 5}}, order=an_order(currency="JPY", total=D("12345")))
    assert str(offer.value) == "617"


# -- limits and approval ---------------------------------------------------------------------------------------------

VOUCHER = {"name": "Late", "offer": {"free_shipping_voucher": {}}}


def test_a_customer_at_the_per_customer_max_gets_an_apology():
    policy = parse_policy({"rules": [VOUCHER], "limits": {"per_customer": {"max": 1, "days": 90}}})
    assert decide_with(policy, history=CustomerHistory(0)).offer.type is OfferType.FREE_SHIPPING_VOUCHER
    blocked = decide_with(policy, history=CustomerHistory(1))
    assert blocked.offer == Offer.apology("EUR") and blocked.blocked_by == "per_customer_limit"
    assert blocked.rule_name == "Late" and not blocked.needs_approval
    assert blocked.reason == "rule 'Late' matched; customer already compensated 1× in 90 days (max 1) → apology only"


def test_the_monthly_budget_is_never_exceeded():
    policy = policy_with({"name": "Late", "offer": {"gift_card": {"amount": 15}}}, monthly_budget={"EUR": 500})
    exactly_full = decide_with(policy, budget=BudgetState({"EUR": D("485.00")}))
    assert exactly_full.offer.value == D("15.00") and exactly_full.blocked_by is None
    over = decide_with(policy, budget=BudgetState({"EUR": D("485.01")}))
    assert over.offer == Offer.apology("EUR") and over.blocked_by == "monthly_budget"
    assert over.reason.startswith("rule 'Late' matched; monthly budget EUR 500 reached")
    assert over.reason.endswith("→ apology only")


def test_a_currency_without_a_budget_gets_nothing_when_other_currencies_have_one():
    policy = policy_with(VOUCHER, monthly_budget={"PLN": 2000})
    decision = decide_with(policy)
    assert decision.offer.type is OfferType.APOLOGY_ONLY and decision.blocked_by == "no_currency_budget"
    assert decision.reason == "rule 'Late' matched; no monthly budget for EUR → apology only"


def test_no_budget_at_all_means_no_cap():
    policy = policy_with({"offer": {"gift_card": {"amount": 15}}})
    assert decide_with(policy, budget=BudgetState({"EUR": D("1000000")})).offer.value == D("15.00")


def test_a_zero_budget_lets_only_offers_that_cost_nothing_through():
    gift = policy_with({"name": "Gift", "offer": {"gift_product": {"sku": "FREEBIE"}}}, monthly_budget={"EUR": 0})
    assert decide_with(gift).offer.type is OfferType.GIFT_PRODUCT, "an unpriced gift product costs 0"
    assert decide_with(policy_with(VOUCHER, monthly_budget={"EUR": 0})).blocked_by == "monthly_budget"


def test_no_free_shipping_voucher_when_the_shipping_was_free():
    decision = decide_with(policy_with(VOUCHER), order=an_order(shipping_price=D(0)))
    assert decision.offer == Offer.apology("EUR") and decision.rule_name == "Late" and not decision.needs_approval
    assert decision.reason == (
        "rule 'Late' matched; the shipping was free, so a free-shipping voucher would be worth nothing → apology only"
    )


def test_offers_above_the_threshold_wait_for_approval():
    policy = policy_with(
        {"name": "Card", "offer": {"gift_card": {"amount": 50}}}, manual_approval_above={"EUR": 50, "PLN": 200}
    )
    assert not decide_with(policy).needs_approval  # equal to the threshold is fine
    bigger = policy_with({"name": "Card", "offer": {"gift_card": {"amount": 50.01}}}, manual_approval_above={"EUR": 50})
    decision = decide_with(bigger)
    assert decision.needs_approval
    assert decision.reason == "rule 'Card' matched → gift card of EUR 50.01; needs approval: EUR 50.01 is above EUR 50"


def test_a_manual_rule_always_waits_for_approval():
    decision = decide_with(policy_with({"name": "M", "offer": {"gift_card": {"amount": 1}}, "approval": "manual"}))
    assert decision.needs_approval and decision.reason.endswith("needs approval: the rule asks for manual approval")


def test_a_currency_missing_from_the_thresholds_waits_for_approval():
    policy = policy_with({"offer": {"gift_card": {"amount": 1}}}, manual_approval_above={"PLN": 200})
    assert decide_with(policy).needs_approval
    assert not decide_with(policy_with({"offer": {"gift_card": {"amount": 1}}})).needs_approval


def test_decide_does_not_touch_its_inputs_and_is_repeatable():
    budget = BudgetState({"EUR": D(5)})
    policy = policy_with({"offer": {"gift_card": {"amount": 15}}}, monthly_budget={"EUR": 500})
    first = decide_with(policy, budget=budget)
    assert decide_with(policy, budget=budget) == first and budget.used == {"EUR": D(5)}


def test_the_domain_modules_import_no_transport_or_storage():
    forbidden = {"flask", "sqlalchemy", "gql", "requests", "redis"}
    for module in (decide_module, policy_module):
        tree = ast.parse(Path(module.__file__).read_text())
        names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        names |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        assert not {name.split(".")[0] for name in names} & forbidden


# -- properties ------------------------------------------------------------------------------------------------------

orders = st.builds(
    an_order,
    currency=st.sampled_from(CURRENCIES + ("SEK",)),
    channel_slug=st.sampled_from(CHANNELS),
    total=st.decimals(min_value=0, max_value=2000, places=2),
    shipping_price=st.decimals(min_value=0, max_value=60, places=2),
    is_first_order=st.sampled_from([None, True, False]),
    lines=st.lists(
        st.builds(
            OrderLine,
            st.sampled_from(SKUS),
            st.just("item"),
            st.integers(1, 3),
            st.decimals(min_value=0, max_value=300, places=2),
        ),
        max_size=4,
    ).map(tuple),
)
incidents = st.builds(
    an_incident,
    kind=st.sampled_from(list(IncidentKind)),
    days_late=st.integers(0, 10),
    expected_skus=st.lists(st.sampled_from(SKUS), max_size=4).map(tuple),
    sent_skus=st.lists(st.sampled_from(SKUS + ("Z",)), max_size=4).map(tuple),
)
budgets = st.dictionaries(
    st.sampled_from(CURRENCIES + ("SEK",)), st.decimals(min_value=0, max_value=700, places=2)
).map(BudgetState)
prices = st.dictionaries(st.sampled_from(SKUS + ("Z",)), st.decimals(min_value=0, max_value=200, places=2))


@settings(max_examples=400, deadline=None)
@given(policy_documents, incidents, orders, st.integers(0, 4).map(CustomerHistory), budgets, prices)
def test_limits_hold_for_any_policy_incident_and_budget(document, incident, order, history, budget, catalogue):
    policy = parse_policy(document)
    decision = decide(incident, order, history, budget, policy, gift_product_prices=catalogue)
    offer, cur, limits = decision.offer, order.currency, policy.limits
    assert offer.currency == cur
    assert offer.value >= 0 and offer.value == quantize_money(offer.value, cur)
    if offer.type is OfferType.APOLOGY_ONLY:
        assert offer.value == 0 and not decision.needs_approval
        return
    assert decision.blocked_by is None and decision.rule_name is not None
    assert history.compensations_in_window < limits.per_customer.max
    if limits.monthly_budget:
        assert cur in limits.monthly_budget
        assert budget.used_in(cur) + offer.value <= limits.monthly_budget[cur]
    threshold = limits.manual_approval_above.get(cur)
    if threshold is not None and offer.value > threshold:
        assert decision.needs_approval
    if decision.blocked_by is None and not decision.needs_approval:
        assert matching_rule(policy, incident, order).approval == "auto"
