"""The acknowledgement path's batched write: one statement for concurrent callers, each told its own outcome."""

import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from saleor_cs_app.store import deliveries
from saleor_cs_app.store.models import Tenant, WebhookDelivery
from saleor_cs_app.store.row_writer import AlreadyStored, StoreUnavailable


@pytest.fixture
def tenant_id(runtime):
    with runtime.db.transaction() as session:
        tenant = Tenant(saleor_api_url="https://shop.example/graphql/", app_id="QXBwOjE=", jwks="{}",
                        jwks_fetched_at=runtime.clock(), installed_at=runtime.clock())
        session.add(tenant)
        session.flush()
        return tenant.id


def store(runtime, tenant_id, digest: str) -> int:
    return deliveries.insert_received(
        runtime.db, tenant_id=tenant_id, event="ORDER_CREATED", digest=digest, body="{}", now=runtime.clock()
    )


def held_first_statement(runtime, monkeypatch, callers: int):
    """The first statement waits until every other caller is waiting too, as under a slow commit."""
    connections, batch = runtime.db.rows, deliveries.batched_insert(runtime.db)
    real, statements, first = connections.fetch_all, [], threading.Event()

    def fetch_all(sql, params):
        if not first.is_set():
            first.set()
            for _ in range(500):  # until the others are queued behind this write (at most 5 s)
                if batch.waiting >= callers - 1:
                    break
                time.sleep(0.01)
        statements.append(sql)
        return real(sql, params)

    monkeypatch.setattr(connections, "fetch_all", fetch_all)
    return statements


def test_concurrent_deliveries_share_one_statement_and_each_gets_its_own_row(runtime, tenant_id, monkeypatch):
    store(runtime, tenant_id, "warm")  # the insert exists before the others arrive
    statements = held_first_statement(runtime, monkeypatch, callers=12)
    with ThreadPoolExecutor(12) as pool:
        ids = list(pool.map(lambda i: store(runtime, tenant_id, f"d{i}"), range(12)))
    assert len(set(ids)) == 12
    assert len(statements) == 2, "the first caller's write, then one for the eleven who waited"
    with runtime.db.read() as session:
        stored = dict(session.execute(select(WebhookDelivery.body_sha256, WebhookDelivery.id)).all())
    assert [stored[f"d{i}"] for i in range(12)] == ids


def test_twins_in_one_batch_store_one_row_and_the_other_hears_it_was_stored(runtime, tenant_id, monkeypatch):
    store(runtime, tenant_id, "warm")
    held_first_statement(runtime, monkeypatch, callers=6)

    def attempt(i):
        try:
            return store(runtime, tenant_id, "same" if i else "lead")
        except AlreadyStored:
            return "already"

    with ThreadPoolExecutor(6) as pool:
        outcomes = list(pool.map(attempt, range(6)))
    assert outcomes.count("already") == 4 and len({o for o in outcomes if o != "already"}) == 2
    with pytest.raises(AlreadyStored):
        store(runtime, tenant_id, "same")
    with runtime.db.read() as session:
        assert session.scalar(select(func.count()).select_from(WebhookDelivery)) == 3


def test_a_failed_write_fails_every_caller_in_its_batch_and_stores_nothing(runtime, tenant_id, monkeypatch):
    store(runtime, tenant_id, "warm")

    def refused(sql, params):
        raise StoreUnavailable("disk full")

    monkeypatch.setattr(runtime.db.rows, "fetch_all", refused)
    with ThreadPoolExecutor(4) as pool:
        errors = list(pool.map(lambda i: pytest.raises(StoreUnavailable, store, runtime, tenant_id, f"x{i}"), range(4)))
    assert len(errors) == 4
    monkeypatch.undo()
    assert store(runtime, tenant_id, "x0") > 0  # nothing was half-written


def test_commits_never_checkpoint_inline_and_the_pumps_checkpoint_copies_the_log_back(runtime, tenant_id):
    if not runtime.db.is_sqlite:
        assert runtime.db.checkpoint() == 0  # PostgreSQL has no such log to keep short
        return
    with runtime.db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 0
    runtime.db.checkpoint()
    for i in range(300):  # ~1,200 pages: an inline autocheckpoint (every 1,000) would have copied them
        deliveries.insert_received(
            runtime.db, tenant_id=tenant_id, event="ORDER_CREATED", digest=f"c{i}", body="x" * 3000, now=runtime.clock()
        )
    db_file = runtime.db.engine.url.database
    size_before = os.path.getsize(db_file)
    assert runtime.db.checkpoint() > 1000
    assert os.path.getsize(db_file) > size_before, "the rows reached the database file only now"
