"""The deliveries table is the pumps' queue: taking the oldest pending delivery must not
cost more as history grows or a backlog builds (store/deliveries.py, migration 0007)."""

from sqlalchemy.dialects import sqlite

from saleor_cs_app.store.deliveries import OLDEST_UNSTARTED
from saleor_cs_app.store.db import Database
from saleor_cs_app.store.migrate import upgrade


def test_taking_the_oldest_pending_delivery_reads_the_pending_index_in_order_without_sorting(tmp_path):
    db = Database(f"sqlite:///{tmp_path}/queue.db")
    upgrade(db)
    claim = str(OLDEST_UNSTARTED.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))
    with db.engine.connect() as conn:
        plan = " | ".join(row[-1] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + claim))
    db.engine.dispose()
    assert "ix_webhook_deliveries_pending" in plan, plan
    assert "TEMP B-TREE" not in plan, plan  # a sort of every pending row on every claim
