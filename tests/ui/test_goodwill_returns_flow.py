"""What the goodwill buys, end to end through HTTP: an incident's voucher spent on the customer's next
order is marked used on that order, and the customer counts as returning for the incident's rule."""

from __future__ import annotations

from datetime import timedelta

from saleor_cs_app.jobs import returns_count, sweep
from tests.saleor_stand_in import data
from tests.ui.conftest import tenant_id_of, use_policy

LATE_GETS_FREE_SHIPPING = {
    "version": 1,
    "sender": {"name": "Northwind", "email": "care@northwind.example"},
    "rules": [{"name": "Late", "when": {"kinds": ["late_shipment"]}, "offer": {"free_shipping_voucher": {}}}],
}
INCIDENT = "query($id: ID!) { incident(id: $id) { id state offerType } }"
SPENT = "query($id: ID!) { goodwillRedemptions(incidentId: $id) { kind orderId orderNumber usedAt amount currency source } }"
TIMELINE = "query($id: ID!) { incident(id: $id) { timeline { type message facts { code orderNumber amount currency } } } }"
RETURNS = "{ goodwillReturns { computedAt report canProve cannotProve } }"
CSV = "{ goodwillReturnsCsv }"
CHART = '{ goodwillReturnsChart(redeemed: "Codes used", compensated: "Compensated", apology: "Apology only", baseline: "No incident") }'


def late_order_with_voucher(installed, runtime, clock) -> tuple[dict, str]:
    """A late order: the sweep finds it, the rule gives a free-shipping voucher, the customer is e-mailed."""
    use_policy(runtime, installed, LATE_GETS_FREE_SHIPPING)
    created = clock.now - timedelta(days=10)
    order = installed.add_order(created=created)
    assert installed.send_webhook("ORDER_CREATED", order_id=order["id"], issuedAt=created.isoformat()).status_code == 200
    runtime.jobs.drain()
    sweep.run(runtime)
    runtime.jobs.drain()
    (voucher,) = installed.vouchers.values()
    return order, voucher["_codes"][-1]["code"]


def order_using(installed, *, voucher_code=None, gift_card=None, taken=10):
    """The customer's next order, placed at checkout with the code (Saleor fills voucherCode, discounts,
    giftCards and the card's USED_IN_ORDER event)."""
    order = installed.add_order()
    currency = order["total"]["gross"]["currency"]
    if voucher_code:
        order["voucherCode"] = voucher_code
        order["discounts"] = [
            {
                "__typename": "OrderDiscount",
                "id": data.gid("OrderDiscount", 1),
                "type": "VOUCHER",
                "name": "Free shipping",
                "translatedName": None,
                "valueType": "PERCENTAGE",
                "value": 100,
                "reason": None,
                "amount": data.money(taken, currency),
                "total": data.money(taken, currency),
            }
        ]
    if gift_card:
        before = gift_card["currentBalance"]["amount"]
        gift_card["currentBalance"] = data.money(before - taken, currency)
        gift_card.setdefault("events", []).append(
            {
                "__typename": "GiftCardEvent",
                "id": data.gid("GiftCardEvent", len(gift_card["events"]) + 1),
                "type": "USED_IN_ORDER",
                "date": order["created"],
                "orderId": order["id"],
                "orderNumber": order["number"],
                "balance": {
                    "__typename": "GiftCardEventBalance",
                    "currentBalance": data.money(before - taken, currency),
                    "oldCurrentBalance": data.money(before, currency),
                    "initialBalance": None,
                    "oldInitialBalance": None,
                },
            }
        )
        order["giftCards"] = [gift_card]
    return order


def test_a_voucher_used_on_the_next_order_shows_as_used_and_the_customer_counts_as_returning(
    api, installed, runtime, clock
):
    first, code = late_order_with_voucher(installed, runtime, clock)
    (item,) = api("{ incidents(first: 5) { items { id state } } }")["incidents"]["items"]
    assert item["state"] == "notified"

    clock.advance(days=12)
    again = order_using(installed, voucher_code=code, taken=10)
    for _ in range(3):  # Saleor retries, and later events of the same order carry the same code
        assert installed.send_webhook("ORDER_CREATED", order_id=again["id"]).status_code == 200
    assert installed.send_webhook("ORDER_UPDATED", order_id=again["id"]).status_code == 200
    runtime.jobs.drain()

    (spent,) = api(SPENT, {"id": item["id"]})["goodwillRedemptions"]
    assert spent["kind"] == "voucher" and spent["orderId"] == again["id"] and spent["orderNumber"] == again["number"]
    assert (spent["amount"], spent["currency"], spent["source"]) == ("10.00", "USD", "webhook")
    assert spent["usedAt"].startswith(again["created"][:16])
    timeline = api(TIMELINE, {"id": item["id"]})["incident"]["timeline"]
    used = [e for e in timeline if e["type"] == "goodwill_used"]
    assert len(used) == 1, "one timeline entry for four deliveries of the same order"
    assert used[0]["facts"] == {"code": "goodwill_used", "orderNumber": again["number"], "amount": "10.00", "currency": "USD"}

    # A month after the incident, the daily count sees the customer back within 30 days.
    clock.advance(days=30)
    returns_count.count_tenant(runtime, tenant_id_of(runtime, installed))
    found = api(RETURNS)["goodwillReturns"]
    (row,) = found["report"]["rows"]
    assert (row["rule"], row["offer_type"], row["currency"]) == ("Late", "free_shipping_voucher", "USD")
    assert row["returns"]["30"]["count"] == 1 and row["returns"]["30"]["base"] == 1
    assert row["returns"]["30"]["too_few"] and row["returns"]["30"]["rate"] is None, "one customer: too few to tell"
    assert row["returns"]["90"]["base"] == 0, "not yet watched for 90 days"
    assert row["redemption"]["count"] == 1 and row["redemption"]["base"] == 1
    assert "caused" in found["cannotProve"]

    csv = api(CSV)["goodwillReturnsCsv"].splitlines()
    assert csv[0].startswith("group,rule,offer_type,currency,incidents")
    assert csv[1].startswith("compensated,Late,free_shipping_voucher,USD,1,0,")
    assert "too few to tell" in csv[1]
    svg = api(CHART)["goodwillReturnsChart"]
    assert svg.startswith("<svg") and "Codes used" in svg and "<script" not in svg


def test_a_gift_card_spent_on_a_later_order_is_recorded_once_with_the_amount_taken_off(
    api, installed, runtime, clock
):
    use_policy(
        runtime,
        installed,
        {
            "version": 1,
            "rules": [{"name": "Late card", "when": {"kinds": ["late_shipment"]}, "offer": {"gift_card": {"amount": 15}}}],
        },
    )
    created = clock.now - timedelta(days=10)
    order = installed.add_order(created=created)
    installed.send_webhook("ORDER_CREATED", order_id=order["id"], issuedAt=created.isoformat())
    runtime.jobs.drain()
    sweep.run(runtime)
    runtime.jobs.drain()
    (card,) = installed.gift_cards.values()
    (item,) = api("{ incidents(first: 5) { items { id } } }")["incidents"]["items"]

    clock.advance(days=3)
    again = order_using(installed, gift_card=card, taken=12.5)
    installed.send_webhook("ORDER_FULLY_PAID", order_id=again["id"])
    installed.send_webhook("ORDER_FULLY_PAID", order_id=again["id"])
    runtime.jobs.drain()
    (spent,) = api(SPENT, {"id": item["id"]})["goodwillRedemptions"]
    assert (spent["kind"], spent["orderId"], spent["amount"]) == ("gift_card", again["id"], "12.50")


def test_a_code_the_app_did_not_give_marks_nothing(api, installed, runtime, clock):
    _, code = late_order_with_voucher(installed, runtime, clock)
    (item,) = api("{ incidents(first: 5) { items { id } } }")["incidents"]["items"]
    other = order_using(installed, voucher_code="WINTER-SALE")
    installed.send_webhook("ORDER_CREATED", order_id=other["id"])
    runtime.jobs.drain()
    assert api(SPENT, {"id": item["id"]})["goodwillRedemptions"] == []


def test_the_report_is_empty_before_the_first_count_and_the_page_never_counts(api, installed):
    found = api(RETURNS)["goodwillReturns"]
    assert found["report"] is None and found["computedAt"] is None
    assert api(CSV)["goodwillReturnsCsv"] is None


def test_the_backfill_finds_codes_spent_while_the_app_did_not_see_them_and_asks_once_a_day(
    api, installed, runtime, clock
):
    from saleor_cs_app.jobs.redemption_backfill import Throttle, backfill

    _, code = late_order_with_voucher(installed, runtime, clock)
    (item,) = api("{ incidents(first: 5) { items { id } } }")["incidents"]["items"]
    clock.advance(days=2)
    again = order_using(installed, voucher_code=code, taken=7)  # no webhook: the app was down
    tenant = tenant_id_of(runtime, installed)

    slept = []
    done = backfill(runtime, tenant, Throttle(1000, 50, sleep=slept.append))
    assert (done.asked, done.recorded, done.calls, done.stopped) == (1, 1, 1, None)
    (spent,) = api(SPENT, {"id": item["id"]})["goodwillRedemptions"]
    assert (spent["orderId"], spent["amount"], spent["source"]) == (again["id"], "7.00", "backfill")

    clock.advance(days=3)
    done = backfill(runtime, tenant, Throttle(1000, 50))
    assert (done.asked, done.calls) == (0, 0), "a spent code is not asked about again"


def test_the_backfill_reads_gift_card_uses_and_stops_at_its_request_limit(api, installed, runtime, clock):
    from saleor_cs_app.jobs.redemption_backfill import Throttle, backfill

    use_policy(
        runtime,
        installed,
        {"version": 1, "rules": [{"name": "Card", "when": {"kinds": ["late_shipment"]}, "offer": {"gift_card": {"amount": 15}}}]},
    )
    created = clock.now - timedelta(days=10)
    order = installed.add_order(created=created)
    installed.send_webhook("ORDER_CREATED", order_id=order["id"], issuedAt=created.isoformat())
    runtime.jobs.drain()
    sweep.run(runtime)
    runtime.jobs.drain()
    (card,) = installed.gift_cards.values()
    (item,) = api("{ incidents(first: 5) { items { id } } }")["incidents"]["items"]
    tenant = tenant_id_of(runtime, installed)

    done = backfill(runtime, tenant, Throttle(1000, 50))
    assert (done.asked, done.recorded) == (1, 0), "not spent yet"
    done = backfill(runtime, tenant, Throttle(1000, 50))
    assert done.calls == 0, "asked today already: the cache answers"

    again = order_using(installed, gift_card=card, taken=15)
    clock.advance(days=1, minutes=1)
    done = backfill(runtime, tenant, Throttle(1000, 1))
    assert done.recorded == 1
    (spent,) = api(SPENT, {"id": item["id"]})["goodwillRedemptions"]
    assert (spent["kind"], spent["orderId"], spent["amount"], spent["source"]) == ("gift_card", again["id"], "15.00", "backfill")


def test_a_backfill_at_its_request_limit_stops_and_says_so(installed, runtime, clock):
    from saleor_cs_app.jobs.redemption_backfill import Throttle, backfill

    late_order_with_voucher(installed, runtime, clock)
    done = backfill(runtime, tenant_id_of(runtime, installed), Throttle(1000, 1))
    assert done.calls == 1 and done.stopped is None
    clock.advance(days=2)
    throttle = Throttle(1000, 1)
    throttle.calls = 1  # the run's budget already spent on another Saleor
    done = backfill(runtime, tenant_id_of(runtime, installed), throttle)
    assert done.stopped.startswith("stopped after 1 requests")
