"""Migration 0016: unshipped orders stored before the app read allocations are in the "due to ship" list
with their warehouse not known yet, their units left counted from the stored fulfilments."""

import json
from datetime import datetime, timezone

from sqlalchemy import text

from saleor_cs_app.store.db import Database
from saleor_cs_app.store.migrate import upgrade

THEN = datetime(2027, 9, 15, 12, tzinfo=timezone.utc)
LINES = [{"line_id": "l1", "sku": "A", "quantity": 3}, {"line_id": "l2", "sku": "B", "quantity": 1}]


def facts(*fulfilments) -> str:
    return json.dumps({"lines": LINES, "fulfillments": {f"f{n}": f for n, f in enumerate(fulfilments)}})


def test_units_left_of_older_unshipped_orders_are_written_with_the_warehouse_not_known(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(db, "0015")
    orders = [
        ("new", "UNFULFILLED", THEN, facts()),
        ("part", "PARTIALLY_FULFILLED", THEN, facts(
            {"status": "FULFILLED", "lines": [{"line_id": "l1", "quantity": 2}]},
            {"status": "CANCELED", "lines": [{"line_id": "l2", "quantity": 1}]},  # gave its unit back
        )),
        ("done", "FULFILLED", THEN, facts({"status": "FULFILLED", "lines": [{"line_id": "l1", "quantity": 3}]})),
        ("gone", "CANCELED", THEN, facts()),
        ("unpaid", "UNFULFILLED", None, facts()),  # no promise yet: its first event writes its rows
        ("vague", "PARTIALLY_FULFILLED", THEN, facts({"status": "FULFILLED"})),  # what it holds is not stored
    ]
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO tenants (id, saleor_api_url, app_id, jwks, jwks_fetched_at, installed_at) "
                "VALUES (1, 'https://shop.example/graphql/', 'app', '{}', :t, :t)"
            ),
            {"t": THEN},
        )
        for order_id, status, ship_by, stored in orders:
            conn.execute(
                text(
                    "INSERT INTO tracked_orders (tenant_id, order_id, number, channel_slug, status, created_at, "
                    "ship_by, click_and_collect, facts, updated_at) "
                    "VALUES (1, :id, '1', 'default', :status, :t, :ship_by, false, :facts, :t)"
                ),
                {"id": order_id, "status": status, "ship_by": ship_by, "facts": stored, "t": THEN},
            )
    upgrade(db)
    with db.engine.connect() as conn:
        rows = conn.execute(
            text("SELECT order_id, line_id, warehouse_id, quantity FROM unshipped_lines ORDER BY order_id, line_id")
        ).all()
    assert [tuple(r) for r in rows] == [
        ("new", "l1", None, 3), ("new", "l2", None, 1), ("part", "l1", None, 1), ("part", "l2", None, 1)
    ]
    db.dispose()
