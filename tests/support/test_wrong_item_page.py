"""A wrong item the shop found: the order page asks the customer to report it once, and no more after they have."""

from html import unescape

from saleor_cs_app.care.proposals import Problem, Resolution, countered_resolution
from tests.flows import use_policy
from tests.support.conftest import csrf_of, link_path
from tests.test_flow_customer_messages import RESHIP_AUTO, _mispacked

ASK = "choose ‘Report a problem’ below, then ‘I got the wrong item’"


def test_once_the_customer_has_reported_the_wrong_item_the_page_no_longer_asks_them_to(installed, runtime, client):
    use_policy(runtime, installed, {**RESHIP_AUTO, "support": {"fixes": ["replacement", "refund", "shop_decides"]}})
    order = _mispacked(installed, runtime, "999000111")
    link = link_path(runtime, installed, order["id"])
    assert ASK in unescape(client.get(link).get_data(as_text=True))
    form = unescape(client.get(f"{link}/report").get_data(as_text=True))
    sent = client.post(
        f"{link}/report",
        data={"csrf": csrf_of(form), "problem": "wrong_item", "lines": [order["lines"][0]["id"]], "fix": "refund"},
        content_type="multipart/form-data",
    )
    assert sent.status_code == 303, unescape(sent.get_data(as_text=True))
    runtime.jobs.drain()
    page = unescape(client.get(link).get_data(as_text=True))
    assert ASK not in page, "a second report of the same item would open a second claim (en-r10 #1)"
    assert "I got the wrong item" in page  # the report itself is on the page, with where it stands


def test_money_back_on_a_wrong_item_is_a_refund_unless_the_customer_asked_to_keep_what_they_got():
    assert countered_resolution(Problem.WRONG_ITEM) is Resolution.REFUND
    assert countered_resolution(Problem.WRONG_ITEM, "replacement") is Resolution.REFUND
    assert countered_resolution(Problem.WRONG_ITEM, "keep_with_discount") is Resolution.KEEP_WITH_DISCOUNT
    assert countered_resolution(Problem.DAMAGED) is Resolution.KEEP_WITH_DISCOUNT
    assert countered_resolution(Problem.NOT_ARRIVED, "keep_with_discount") is Resolution.REFUND
