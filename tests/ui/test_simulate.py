"""care/simulate.py: past incidents replayed through a candidate policy, limits applied as they go."""

from datetime import datetime, timedelta, timezone
from decimal import Decimal

from saleor_cs_app.care.model import IncidentFacts, IncidentKind, IncidentSource, OfferType, OrderFacts
from saleor_cs_app.care.policy_io import parse_policy
from saleor_cs_app.care.simulate import Replay, simulate

START = datetime(2025, 3, 28, 12, tzinfo=timezone.utc)
GIFT_20 = {"rules": [{"name": "Late", "when": {"kinds": ["late_shipment"]}, "offer": {"gift_card": {"amount": 20}}}]}


def replay(
    n: int,
    *,
    at: datetime | None = None,
    email: str | None = None,
    currency="EUR",
    live=OfferType.APOLOGY_ONLY,
    live_value="0",
) -> Replay:
    order = OrderFacts(
        order_id=f"order-{n}",
        number=str(n),
        channel_slug="default",
        currency=currency,
        total=Decimal(100),
        shipping_price=Decimal(5),
        customer_email=email or f"c{n}@example.com",
        customer_first_name=None,
        language="en",
        created_at=START,
    )
    incident = IncidentFacts(kind=IncidentKind.LATE_SHIPMENT, source=IncidentSource.DEADLINE, days_late=2)
    return Replay(f"i{n}", at or START + timedelta(hours=n), incident, order, live, Decimal(live_value))


def policy(limits: dict | None = None):
    return parse_policy({**GIFT_20, "limits": limits or {}})


def test_the_monthly_budget_fills_up_in_the_order_incidents_happened():
    result = simulate([replay(3), replay(1), replay(2)], policy({"monthly_budget": {"EUR": 45}}))
    (eur,) = result.by_currency
    assert (eur.incidents, eur.would_give, eur.would_cost, eur.blocked_by_limits) == (3, 2, Decimal(40), 1)
    assert [c.incident_id for c in result.changes] == ["i1", "i2"], "the third, blocked, stays an apology"


def test_a_new_month_starts_with_a_fresh_budget():
    late_march, early_april = START, datetime(2025, 4, 1, 9, tzinfo=timezone.utc)
    result = simulate([replay(1, at=late_march), replay(2, at=early_april)], policy({"monthly_budget": {"EUR": 20}}))
    assert result.by_currency[0].would_give == 2


def test_the_per_customer_limit_counts_what_the_candidate_gave_inside_its_window():
    same = "loyal@example.com"
    replays = [
        replay(1, email=same),
        replay(2, email=same.upper()),
        replay(3, email=same, at=START + timedelta(days=40)),
    ]
    result = simulate(replays, policy({"per_customer": {"max": 1, "days": 30}}))
    (eur,) = result.by_currency
    assert (eur.would_give, eur.blocked_by_limits) == (2, 1)


def test_what_the_live_policy_gave_is_summed_beside_it_per_currency():
    replays = [replay(1, live=OfferType.GIFT_CARD, live_value="15"), replay(2, currency="PLN")]
    result = simulate(replays, policy())
    eur, pln = result.by_currency
    assert (eur.currency, eur.gave, eur.gave_cost, eur.would_cost) == ("EUR", 1, Decimal(15), Decimal(20))
    assert (pln.currency, pln.gave, pln.would_give) == ("PLN", 0, 1)


def test_offers_a_person_would_approve_are_counted_and_flagged():
    manual = parse_policy({"rules": [{**GIFT_20["rules"][0], "approval": "manual"}]})
    (eur,) = simulate([replay(1)], manual).by_currency
    assert (eur.would_give, eur.would_need_approval) == (1, 1)


def test_nothing_to_replay_is_an_empty_result():
    result = simulate([], policy())
    assert (result.incidents, result.by_currency, result.changes) == (0, (), ())
