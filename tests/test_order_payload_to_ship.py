"""Reading what an order still has to ship, per warehouse, from Saleor's order payload (the TrackedOrder
fragment's `lines { quantity quantityFulfilled allocations { quantity warehouse { id name } } }`)."""

from saleor_cs_app.care.due_to_ship import NO_WAREHOUSE, LineToShip
from saleor_cs_app.watch.snapshot import lines_to_ship

ESPOO = {"id": "V2FyZWhvdXNlOjE=", "name": "Espoo"}
VANTAA = {"id": "V2FyZWhvdXNlOjI=", "name": "Vantaa"}


def line(line_id: str, quantity: int, fulfilled: int, *allocations) -> dict:
    return {
        "id": line_id,
        "quantity": quantity,
        "quantityFulfilled": fulfilled,
        "allocations": [{"quantity": q, "warehouse": wh} for wh, q in allocations],
    }


def order(status: str, *lines) -> dict:
    return {"id": "T3JkZXI6MQ==", "status": status, "lines": list(lines)}


def test_each_line_s_units_wait_in_the_warehouse_they_are_allocated_in():
    payload = order("UNFULFILLED", line("l1", 2, 0, (ESPOO, 2)), line("l2", 3, 0, (ESPOO, 1), (VANTAA, 2)))
    assert lines_to_ship(payload) == [
        LineToShip("l1", ESPOO["id"], "Espoo", 2),
        LineToShip("l2", ESPOO["id"], "Espoo", 1),
        LineToShip("l2", VANTAA["id"], "Vantaa", 2),
    ]


def test_a_partial_fulfilment_leaves_only_the_units_not_sent():
    # Saleor lowered l2's allocation by the unit it sent and dropped l1's, fully sent.
    payload = order("PARTIALLY_FULFILLED", line("l1", 2, 2), line("l2", 3, 1, (VANTAA, 2)))
    assert lines_to_ship(payload) == [LineToShip("l2", VANTAA["id"], "Vantaa", 2)]


def test_a_fulfilled_order_has_nothing_to_ship():
    assert lines_to_ship(order("FULFILLED", line("l1", 2, 2), line("l2", 1, 1))) == []


def test_a_cancelled_order_has_nothing_to_ship_whatever_its_lines_say():
    assert lines_to_ship(order("CANCELED", line("l1", 2, 0, (ESPOO, 2)))) == []
    assert lines_to_ship(order("EXPIRED", line("l1", 2, 0))) == []


def test_a_line_without_allocation_is_under_no_warehouse():
    # A variant whose stock Saleor does not track gets no allocation (null or an empty list).
    untracked = line("l1", 2, 0)
    untracked["allocations"] = None
    assert lines_to_ship(order("UNFULFILLED", untracked, line("l2", 1, 0))) == [
        LineToShip("l1", NO_WAREHOUSE, None, 2),
        LineToShip("l2", NO_WAREHOUSE, None, 1),
    ]


def test_a_payload_from_before_allocations_or_with_missing_fields_does_not_fail():
    assert lines_to_ship(order("UNFULFILLED", {"id": "l1", "quantity": 1, "quantityFulfilled": 0})) == [
        LineToShip("l1", NO_WAREHOUSE, None, 1)
    ]
    assert lines_to_ship({"id": "o", "status": "UNFULFILLED", "lines": None}) == []
    assert lines_to_ship(order("UNFULFILLED", line("l1", 1, 0, ({"id": None, "name": "?"}, 1)))) == [
        LineToShip("l1", NO_WAREHOUSE, None, 1)
    ], "an allocation without a warehouse id names no warehouse"


def test_a_digital_product_or_gift_card_is_nothing_to_ship():
    ebook = {**line("l2", 1, 0), "isShippingRequired": False}
    payload = order("UNFULFILLED", {**line("l1", 2, 0, (ESPOO, 2)), "isShippingRequired": True}, ebook)
    assert lines_to_ship(payload) == [LineToShip("l1", ESPOO["id"], "Espoo", 2)]
