"""What a lost or returned parcel owes the customer, and while they may choose (care/owed.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from saleor_cs_app.care.model import IncidentKind, OrderFacts, OrderLine
from saleor_cs_app.care.owed import Closed, Remedy, owed_goods, why_closed

SHIRT = OrderLine(sku="SHIRT", name="Blue shirt M", quantity=2, unit_price=Decimal("19.90"), variant_id="V1", line_id="L1")
MUG = OrderLine(sku="MUG", name="Mug", quantity=1, unit_price=Decimal("12.00"), variant_id="V2", line_id="L2")


def order(*lines: OrderLine, shipping="4.90", currency="EUR") -> OrderFacts:
    return OrderFacts(
        order_id="O1",
        number="1001",
        channel_slug="eu",
        currency=currency,
        total=Decimal("999"),
        shipping_price=Decimal(shipping),
        customer_email="jane@example.com",
        customer_first_name="Jane",
        language="en",
        created_at=datetime(2027, 9, 1, tzinfo=UTC),
        lines=lines or (SHIRT, MUG),
    )


@pytest.mark.parametrize("kind", [IncidentKind.LOST, IncidentKind.RETURNED])
def test_a_parcel_that_was_the_whole_order_owes_its_lines_and_the_shipping_paid(kind):
    owed = owed_goods(kind, order(), {"L1": 2, "L2": 1})
    assert [(line.line_id, line.quantity) for line in owed.lines] == [("L1", 2), ("L2", 1)]
    assert owed.goods == Decimal("51.80")  # 2 × 19.90 + 12.00
    assert owed.shipping == Decimal("4.90")
    assert owed.refund_amount == Decimal("56.70")
    assert owed.remedies == (Remedy.NEW_PARCEL, Remedy.REFUND)


def test_one_parcel_of_several_owes_its_own_lines_without_the_shipping():
    owed = owed_goods(IncidentKind.LOST, order(), {"L1": 1})  # one shirt left in this parcel, the rest arrived
    assert [(line.line_id, line.quantity) for line in owed.lines] == [("L1", 1)]
    assert (owed.goods, owed.shipping, owed.refund_amount) == (Decimal("19.90"), 0, Decimal("19.90"))


def test_a_parcel_never_owes_more_than_the_order_line_holds():
    owed = owed_goods(IncidentKind.LOST, order(), {"L1": 5, "L2": 1})
    assert owed.lines[0].quantity == 2 and owed.goods == Decimal("51.80")


def test_the_money_is_rounded_to_the_currency():
    yen = OrderLine(sku="T", name="Tea", quantity=3, unit_price=Decimal("333.4"), variant_id="V", line_id="L")
    owed = owed_goods(IncidentKind.RETURNED, order(yen, shipping="500", currency="JPY"), {"L": 3})
    assert (owed.goods, owed.shipping) == (Decimal("1000"), Decimal("500"))


def test_an_item_no_longer_in_the_catalogue_can_only_be_refunded():
    gone = OrderLine(sku=None, name="Old mug", quantity=1, unit_price=Decimal("9"), variant_id=None, line_id="L3")
    owed = owed_goods(IncidentKind.LOST, order(SHIRT, gone), {"L1": 2, "L3": 1})
    assert owed.remedies == (Remedy.REFUND,)


@pytest.mark.parametrize(
    "kind",
    [k for k in IncidentKind if k not in (IncidentKind.LOST, IncidentKind.RETURNED)],
)
def test_other_situations_owe_no_goods(kind):
    assert owed_goods(kind, order(), {"L1": 2, "L2": 1}) is None


def test_a_parcel_whose_lines_are_unknown_owes_nothing_the_page_could_name():
    assert owed_goods(IncidentKind.LOST, order(), {}) is None
    assert owed_goods(IncidentKind.LOST, order(), {"someone-elses-line": 1}) is None


def test_the_choice_is_open_until_made_and_closes_with_the_order():
    assert why_closed(incident_state="notified", order_status="FULFILLED", chosen=None) is None
    assert why_closed(incident_state="failed", order_status="PARTIALLY_FULFILLED", chosen=None) is None
    assert why_closed(incident_state="notified", order_status="FULFILLED", chosen=Remedy.REFUND) is Closed.CHOSEN
    for status in ("CANCELED", "EXPIRED", "RETURNED"):
        assert why_closed(incident_state="notified", order_status=status, chosen=None) is Closed.ORDER_CLOSED
    for state in ("backlog", "dismissed"):
        assert why_closed(incident_state=state, order_status="FULFILLED", chosen=None) is Closed.NOT_TOLD
