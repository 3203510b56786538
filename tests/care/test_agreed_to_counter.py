"""Which accepted report was settled by the shop's counter-offer: one rule for the page and the e-mail."""

from saleor_cs_app.care.proposals import agreed_to_counter

COUNTER = {"value": "4.00", "currency": "USD"}


def test_a_counter_the_customer_accepted_is_what_was_agreed():
    assert agreed_to_counter("accepted", COUNTER, {"type": "partial_refund", "refund_amount": "4.0"})


def test_a_counter_turned_down_before_the_shop_granted_the_ask_is_not():
    assert not agreed_to_counter("accepted", COUNTER, {"type": "reship", "value": "20"})
    assert not agreed_to_counter("accepted", COUNTER, {"type": "partial_refund", "refund_amount": "12.50"})


def test_an_offer_still_open_or_declined_or_none_at_all_is_not():
    granted = {"refund_amount": "4.00"}
    assert not agreed_to_counter("countered", COUNTER, granted)
    assert not agreed_to_counter("declined", COUNTER, granted)
    assert not agreed_to_counter("accepted", None, granted)
    assert not agreed_to_counter("accepted", COUNTER, None)
