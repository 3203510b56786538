"""The install's reconciliation streams a big shop: it pages with Saleor's cursor, asks for at most one
page ahead of what it has applied, and applies every order exactly once (issue 23, bench/big_shop.py)."""

from collections import Counter
from datetime import timedelta

from sqlalchemy import func, select

from saleor_cs_app.jobs import order_events, sweep
from saleor_cs_app.store.models import Incident, TrackedOrder

ORDERS, PAGE = 250, 50


def tracked(runtime) -> int:
    with runtime.db.read() as session:
        return session.scalar(select(func.count(TrackedOrder.id)))


def big_shop(saleor, clock):
    """250 paid, unfulfilled orders placed over the last 10 days, made only as the app pages onto them."""
    return saleor.generate_orders(ORDERS, created=lambda number: clock.now - timedelta(hours=number % 240))


def test_the_install_reconciliation_pages_streams_and_applies_every_order_once(
    saleor, app_server, runtime, clock, monkeypatch
):
    generated = big_shop(saleor, clock)
    applied_when_asked = []
    generated.on_page = lambda size: applied_when_asked.append(tracked(runtime))
    applied = Counter()
    observe = order_events.observe_order

    def counting(ctx, payload, **kwargs):
        applied[payload["order"]["id"]] += 1
        observe(ctx, payload, **kwargs)

    monkeypatch.setattr(sweep, "observe_order", counting)

    assert saleor.install(f"{app_server.url}/api/manifest").status_code == 200
    runtime.jobs.drain()  # the reconciliation the install queued

    assert generated.pages == [PAGE] * (ORDERS // PAGE), "Saleor's pages of 50, each asked for once"
    # Page k is asked for while page k-1 is applied, never before page k-2 is committed.
    for k, committed in enumerate(applied_when_asked):
        assert committed >= max(0, k - 1) * PAGE, (k, committed, applied_when_asked)
    assert len(applied) == ORDERS and set(applied.values()) == {1}, "every order applied exactly once"
    assert tracked(runtime) == ORDERS
    with runtime.db.read() as session:
        states = Counter(session.scalars(select(Incident.state)))
    # Orders older than their ship-by promise broke it before the install: they wait for the merchant.
    assert set(states) == {"backlog"} and states["backlog"] > 0


def test_an_order_that_fails_is_skipped_alone_and_the_rest_of_its_batch_is_kept(
    saleor, app_server, runtime, clock, monkeypatch
):
    generated = big_shop(saleor, clock)
    broken = generated.order(generated.first + 7)["id"]
    observe = order_events.observe_order

    def failing(ctx, payload, **kwargs):
        observe(ctx, payload, **kwargs)  # its writes are made, then rolled back to the order's savepoint
        if payload["order"]["id"] == broken:
            raise RuntimeError("a bad order")

    monkeypatch.setattr(sweep, "observe_order", failing)
    assert saleor.install(f"{app_server.url}/api/manifest").status_code == 200
    runtime.jobs.drain()

    assert tracked(runtime) == ORDERS - 1
    with runtime.db.read() as session:
        assert session.scalar(select(func.count()).where(TrackedOrder.order_id == broken)) == 0
        assert session.scalar(select(func.count()).where(Incident.order_id == broken)) == 0
