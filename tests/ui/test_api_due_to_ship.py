"""The "due to ship" list end to end: orders placed in the Saleor stand-in, signed webhooks over HTTP (and the
reconciliation), the stored allocations, and the dueToShip query the dashboard page asks, by the test clock.

The stand-in's default channel is in the US (America/New_York) and the default policy ships within two
business days: an order paid on Wednesday 15 September 2027 at 08:00 there must ship by the end of Friday.
"""

from saleor_cs_app.jobs import sweep
from tests.ui.conftest import tenant_id_of, track_order
from tests.ui.test_api_auth import assert_refused

DUE = """{ dueToShip { count warehouses { assignment warehouseId name count late
  orders { orderId orderNumber orderUrl dashboardPath customerName customerEmail items { name sku quantity }
    shipBy shipByDate due minutesLeft businessDaysLate shippingMethod incidentId } } } }"""


def due(api) -> dict:
    return api(DUE)["dueToShip"]


def groups(api) -> dict:
    """Group name (or assignment) → [(order number, due, [(sku, quantity)])]."""
    return {
        g["name"] or g["assignment"]: [(o["orderNumber"], o["due"], [(i["sku"], i["quantity"]) for i in o["items"]])
                                       for o in g["orders"]]
        for g in due(api)["warehouses"]
    }


def test_orders_due_tomorrow_per_warehouse_then_shipped_cancelled_and_late(api, installed, runtime, clock):
    europe = installed.add_warehouse("Europe Warehouse", "europe")
    americas = next(w for w in installed.warehouses.values() if w["name"] == "Americas Warehouse")
    standard = track_order(installed, runtime)  # two lines, both allocated in the Americas Warehouse
    split = track_order(
        installed,
        runtime,
        lines=[
            {"sku": "SKU-TSHIRT-M", "quantity": 3, "allocations": [(europe, 2), (americas, 1)]},
            {"sku": "SKU-MUG", "quantity": 1, "allocations": []},  # stock not tracked
        ],
    )
    collect = track_order(installed, runtime, deliveryMethod="click_and_collect")
    assert due(api) == {"count": 0, "warehouses": []}, "Friday is not tomorrow on a Wednesday"

    clock.advance(days=1)  # Thursday: all three are due tomorrow
    listed = due(api)
    assert listed["count"] == 3
    assert [(g["assignment"], g["name"], g["count"]) for g in listed["warehouses"]] == [
        ("ALLOCATED", "Americas Warehouse", 2),
        ("ALLOCATED", "Europe Warehouse", 1),
        ("ALLOCATED", "Pickup Point Downtown", 1),
        ("NOT_ALLOCATED", None, 1),
    ]
    first = listed["warehouses"][0]["orders"][0]
    assert first["orderNumber"] == standard["number"]
    assert first["items"] == [
        {"name": "Saleor T-shirt M", "sku": "SKU-TSHIRT-M", "quantity": 2},
        {"name": "Saleor Mug Default", "sku": "SKU-MUG", "quantity": 1},
    ]
    assert (first["due"], first["shipByDate"], first["businessDaysLate"]) == ("TOMORROW", "2027-09-17", 0)
    # Friday ends at 04:00 UTC on Saturday: 40 hours after Thursday noon UTC.
    assert first["minutesLeft"] == 40 * 60
    assert first["shippingMethod"] == "Standard" and first["incidentId"] is None
    assert first["customerEmail"] == standard["userEmail"] and first["customerName"] == "Jane"
    assert first["dashboardPath"] == f"/orders/{standard['id'].replace('=', '%3D')}"
    assert first["orderUrl"].endswith(first["dashboardPath"]) and "/dashboard/orders/" in first["orderUrl"]
    assert groups(api)["Americas Warehouse"][1] == (split["number"], "TOMORROW", [("SKU-TSHIRT-M", 1)])
    assert groups(api)["Europe Warehouse"] == [(split["number"], "TOMORROW", [("SKU-TSHIRT-M", 2)])]
    assert groups(api)["NOT_ALLOCATED"] == [(split["number"], "TOMORROW", [("SKU-MUG", 1)])]

    # The T-shirts of the first order leave: only its mug is still to ship.
    shirts = next(l for l in standard["lines"] if l["productSku"] == "SKU-TSHIRT-M")
    fulfilment = installed.add_fulfillment(standard["id"], [(shirts["id"], 2)], warehouse=americas)
    assert installed.send_webhook("FULFILLMENT_CREATED", fulfillment_id=fulfilment["id"]).status_code == 200
    # The split order is cancelled; the pickup order is handed over in full.
    installed.cancel_order(split["id"])
    assert installed.send_webhook("ORDER_CANCELLED", order_id=split["id"]).status_code == 200
    installed.add_fulfillment(collect["id"])
    assert installed.send_webhook("ORDER_FULFILLED", order_id=collect["id"]).status_code == 200
    runtime.jobs.drain()
    assert groups(api) == {"Americas Warehouse": [(standard["number"], "TOMORROW", [("SKU-MUG", 1)])]}

    clock.advance(days=2)  # Saturday: the mug missed its ship-by
    sweep.run(runtime)
    runtime.jobs.drain()
    (late,) = due(api)["warehouses"][0]["orders"]
    assert (late["due"], late["minutesLeft"], late["businessDaysLate"]) == ("LATE", 0, 1)
    incident = api("query($id: ID!) { incident(id: $id) { kind orderNumber } }", {"id": late["incidentId"]})
    assert incident["incident"] == {"kind": "LATE_SHIPMENT", "orderNumber": standard["number"]}

    installed.add_fulfillment(standard["id"])
    installed.send_webhook("ORDER_FULFILLED", order_id=standard["id"])
    runtime.jobs.drain()
    assert due(api) == {"count": 0, "warehouses": []}, "shipped in full, even late, it leaves the list"


def test_the_reconciliation_fills_in_an_order_whose_webhooks_were_missed(api, installed, runtime, clock):
    order = installed.add_order()  # no webhook: the app was down
    clock.advance(days=1)
    assert due(api)["count"] == 0
    sweep.reconcile(runtime, tenant_id_of(runtime, installed))
    assert groups(api) == {
        "Americas Warehouse": [(order["number"], "TOMORROW", [("SKU-TSHIRT-M", 2), ("SKU-MUG", 1)])]
    }


def test_an_unpaid_order_has_no_ship_by_and_is_not_listed(api, installed, runtime, clock):
    track_order(installed, runtime, isPaid=False)
    clock.advance(days=10)
    assert due(api)["count"] == 0


def test_without_a_dashboard_token_the_list_is_refused(api, installed, runtime, clock):
    track_order(installed, runtime)
    clock.advance(days=1)
    assert due(api)["count"] == 1
    assert_refused(api.post(DUE, token=None), "Missing authorization-bearer")
