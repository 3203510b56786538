"""0014: orders stored before it know their customer by e-mail and their total from the stored facts."""

import json
from datetime import datetime, timezone

from sqlalchemy import text

from saleor_cs_app.store.db import Database
from saleor_cs_app.store.migrate import upgrade


def test_orders_seen_before_0014_are_keyed_by_their_customer_s_email_and_total(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(db, "0011")
    then = datetime(2026, 11, 2, 9, tzinfo=timezone.utc)
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO tenants (id, saleor_api_url, app_id, jwks, jwks_fetched_at, installed_at) "
                "VALUES (1, 'https://shop.example/graphql/', 'app', '{}', :t, :t)"
            ),
            {"t": then},
        )
        for n, facts in enumerate(
            [{"customer_email": " Aino@Example.COM", "total": "98.50", "currency": "EUR"}, {"total": "5"}], 1
        ):
            conn.execute(
                text(
                    "INSERT INTO tracked_orders (tenant_id, order_id, number, channel_slug, status, created_at, "
                    "click_and_collect, facts, updated_at) VALUES (1, :id, :n, 'default', 'UNFULFILLED', :t, 0, :f, :t)"
                ),
                {"id": f"order-{n}", "n": str(n), "t": then, "f": json.dumps(facts)},
            )
    upgrade(db, "head")
    with db.engine.connect() as conn:
        rows = conn.execute(
            text("SELECT order_id, customer_key, total_amount, currency FROM tracked_orders ORDER BY order_id")
        ).all()
    assert [(r[0], r[1], float(r[2]), r[3]) for r in rows] == [
        ("order-1", "email:aino@example.com", 98.5, "EUR"),
        ("order-2", None, 5.0, None),
    ]
    db.dispose()
