"""The facts behind the page's plain words: products by name and price, the offer's parts, the e-mails sent."""

from __future__ import annotations

from decimal import Decimal

from tests.ui.conftest import report_wrong_item, track_order, use_policy

RESHIP_HALF_OFF = {
    "limits": {"per_customer": {"max": 3, "days": 90}},
    "rules": [
        {
            "name": "Wrong item",
            "when": {"kinds": ["wrong_item"]},
            "offer": {"reship": {"keep_item_discount_percent": 50}},
            "approval": "manual",
        },
    ],
}

EXPLAINED = """query($id: ID!) { incident(id: $id) {
  offer { type value currency reshipSkus keepItemDiscountPercent keptItemsDiscount }
  items { sku name unitPrice }
  messages { purpose subject state mailTo }
} }"""


def test_a_reship_is_broken_down_into_the_item_sent_again_and_the_discount_on_the_one_kept(api, installed, runtime):
    installed.add_variant("SKU-BLUE-M", 25, product_name="Blue shirt", name="M")
    installed.add_variant("SKU-GREEN-M", 40, product_name="Green shirt", name="M")
    use_policy(runtime, installed, RESHIP_HALF_OFF)
    order = track_order(installed, runtime, lines=[{"sku": "SKU-BLUE-M", "quantity": 1, "price": 25}])
    data = api(
        """mutation($o: ID!) { reportIncident(orderId: $o, kind: WRONG_ITEM, expectedSkus: ["SKU-BLUE-M"],
        sentSkus: ["SKU-GREEN-M"]) { incident { id } } }""",
        {"o": order["id"]},
    )
    runtime.jobs.drain()
    incident = api(EXPLAINED, {"id": data["reportIncident"]["incident"]["id"]})["incident"]

    offer = incident["offer"]
    assert (offer["type"], offer["currency"], offer["reshipSkus"]) == ("reship", "USD", ["SKU-BLUE-M"])
    assert offer["keepItemDiscountPercent"] == "50" and offer["keptItemsDiscount"] == "20.00"
    assert offer["value"] == "45.00", "$25.00 sent again + 50 % off the $40.00 one they keep"
    names = {i["sku"]: (i["name"], i["unitPrice"]) for i in incident["items"]}
    assert names["SKU-BLUE-M"][0] == "Blue shirt M", "from the order's own line"
    assert Decimal(names["SKU-BLUE-M"][1]) == Decimal(25)
    assert names["SKU-GREEN-M"][0] == "Green shirt M", "not in the order: named from Saleor's catalogue"


def test_what_the_customer_was_told_is_listed_with_its_state(api, installed, runtime, pending_incident):
    (held,) = api(EXPLAINED, {"id": pending_incident})["incident"]["messages"]
    assert (held["purpose"], held["state"], held["subject"]) == ("initial", "waiting", "")
    api("mutation($id: ID!) { approveIncident(id: $id) { id } }", {"id": pending_incident})
    runtime.jobs.drain()
    (told,) = api(EXPLAINED, {"id": pending_incident})["incident"]["messages"]
    assert told["state"] in ("dry_run", "sent") and told["mailTo"] == "customer@example.com"
    assert "#1" in told["subject"]


def test_an_unknown_sku_keeps_its_sku_as_its_name(api, installed, runtime):
    order = track_order(installed, runtime)
    data = api(
        """mutation($o: ID!) { reportIncident(orderId: $o, kind: WRONG_ITEM, expectedSkus: ["SKU-MUG"],
        sentSkus: ["NO-SUCH-SKU"]) { incident { id } } }""",
        {"o": order["id"]},
    )
    items = api(EXPLAINED, {"id": data["reportIncident"]["incident"]["id"]})["incident"]["items"]
    assert {"sku": "NO-SUCH-SKU", "name": "NO-SUCH-SKU", "unitPrice": None} in items
