"""The migrations build the schema the models describe, on this run's database (SQLite or PostgreSQL)."""

import json
from datetime import datetime, timezone

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from saleor_cs_app.care.policy_io import parse_policy
from saleor_cs_app.store.db import Database
from saleor_cs_app.store.migrate import upgrade
from saleor_cs_app.store.models import Base


def test_the_migrated_schema_is_the_one_the_models_describe(runtime):
    with runtime.db.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert differences == [], "a model changed without a migration (or the other way round)"


def test_a_saved_late_delivery_rule_is_widened_to_the_carrier_situations_it_covered_before(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(db, "0008")
    then = datetime(2026, 11, 2, 9, tzinfo=timezone.utc)
    saved = {
        "rules": [
            {"name": "Late", "when": {"kinds": ["late_shipment", "late_delivery"]}, "offer": {"gift_card": {"amount": 5}}},
            {"name": "Very late", "when": {"kinds": "late_delivery"}, "offer": {"partial_refund": {"percent": 10}}},
            {"name": "Wrong", "when": {"kinds": ["wrong_item"]}, "offer": {"reship": {}}},
        ]
    }
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO tenants (id, saleor_api_url, app_id, jwks, jwks_fetched_at, installed_at) "
                "VALUES (1, 'https://shop.example/graphql/', 'app', '{}', :t, :t)"
            ),
            {"t": then},
        )
        conn.execute(
            text(
                "INSERT INTO policy_versions (tenant_id, version, document, created_at, created_by) "
                "VALUES (1, 3, :doc, :t, 'merchant')"
            ),
            {"doc": json.dumps(saved), "t": then},
        )
    upgrade(db)
    with db.engine.connect() as conn:
        rows = conn.execute(text("SELECT version, document FROM policy_versions ORDER BY version")).all()
    assert [version for version, _ in rows] == [3, 4], "a new version; the merchant's own stays in the history"
    rules = json.loads(rows[1][1])["rules"]
    assert rules[0]["when"]["kinds"] == [
        "late_shipment", "late_delivery", "attempt_failed", "pickup_waiting", "held", "lost", "returned"
    ]
    assert rules[1]["when"]["kinds"] == ["late_delivery", "attempt_failed", "pickup_waiting", "held"]
    assert rules[2] == saved["rules"][2]
    parse_policy(json.loads(rows[1][1]))  # valid under today's checks
