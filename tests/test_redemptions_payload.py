"""What an order's payload says was spent of the app's goodwill (jobs/redemptions.spent_on)."""

from decimal import Decimal

from saleor_cs_app.goodwill.gift_card import incident_tag
from saleor_cs_app.goodwill.voucher import voucher_code
from saleor_cs_app.jobs.redemptions import spent_on


def _order(**fields) -> dict:
    return {"id": "T3JkZXI6MQ==", "number": "1043", "discounts": [], "giftCards": [], **fields}


def test_an_app_voucher_is_read_with_the_discount_it_took_off():
    code = voucher_code("secret", "incident-1")
    order = _order(
        voucherCode=code.lower(),
        discounts=[
            {"type": "VOUCHER", "amount": {"amount": 4.9, "currency": "EUR"}},
            {"type": "MANUAL", "amount": {"amount": 10, "currency": "EUR"}},
        ],
    )
    [spent] = spent_on(order)
    assert (spent.kind, spent.code, spent.amount, spent.currency) == ("voucher", code.lower(), Decimal("4.9"), "EUR")


def test_the_shops_own_voucher_codes_are_not_goodwill():
    assert spent_on(_order(voucherCode="WELCOME10", discounts=[{"type": "VOUCHER", "amount": {"amount": 5}}])) == []


def test_a_gift_card_names_its_incident_by_tag_and_counts_only_this_orders_uses():
    card = {
        "tags": [{"name": "cs-goodwill"}, {"name": incident_tag("ABC-1")}],
        "events": [
            {"orderId": "T3JkZXI6MQ==", "balance": _balance(15, 9.5)},
            {"orderId": "T3JkZXI6OTk=", "balance": _balance(9.5, 0)},  # a later order's use
            {"orderId": None, "balance": {}},  # an event with no balance change
        ],
    }
    foreign = {"tags": [{"name": "birthday"}], "events": [{"orderId": "T3JkZXI6MQ==", "balance": _balance(20, 0)}]}
    [spent] = spent_on(_order(giftCards=[card, foreign]))
    assert (spent.kind, spent.incident_id, spent.amount, spent.currency) == (
        "gift_card",
        "abc-1",
        Decimal("5.5"),
        "EUR",
    )


def _balance(before, after) -> dict:
    return {
        "oldCurrentBalance": {"amount": before, "currency": "EUR"},
        "currentBalance": {"amount": after, "currency": "EUR"},
    }
