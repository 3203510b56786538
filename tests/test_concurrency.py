"""Concurrent workers: the budget holds, one incident per order and kind, and the scale-out path
(separate worker processes sharing the queue) works. `.ci/run` runs these on PostgreSQL + Redis too."""

import json
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from saleor_cs_app.store.models import BudgetReservation, WebhookDelivery
from tests.flows import incidents, rows, use_policy


def send_late_orders(saleor, clock, count: int, **order) -> list[dict]:
    created = clock.now - timedelta(days=10)
    placed = [saleor.add_order(created=created, **order) for _ in range(count)]
    with ThreadPoolExecutor(8) as pool:
        statuses = list(
            pool.map(
                lambda o: (
                    saleor.send_webhook("ORDER_CREATED", order_id=o["id"], issuedAt=created.isoformat()).status_code
                ),
                placed,
            )
        )
    assert statuses == [200] * count
    return placed


def gift_cards_of_10_usd_within(monthly_budget: int) -> dict:
    return {
        "version": 1,
        "limits": {"per_customer": {"max": 1000, "days": 90}, "monthly_budget": {"USD": monthly_budget}},
        "rules": [{"name": "Late", "when": {"kinds": ["late_shipment"]}, "offer": {"gift_card": {"amount": 10}}}],
    }


def run_workers(runtime, workers: int = 4) -> None:
    """`workers` threads pulling from the same queue at once, like separate consumers."""
    barrier = threading.Barrier(workers)

    def work():
        barrier.wait()
        runtime.jobs.drain()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    runtime.jobs.drain()  # whatever a worker re-queued at the very end


def test_a_budget_for_ten_gift_cards_gives_exactly_ten_to_fifty_incidents_under_four_workers(installed, runtime, clock):
    """Scenario 7."""
    use_policy(runtime, installed, gift_cards_of_10_usd_within(monthly_budget=100))
    send_late_orders(installed, clock, 50)
    run_workers(runtime, 4)

    found = incidents(runtime)
    assert len(found) == 50
    assert len(installed.gift_cards) == 10
    assert sorted(i.offer_type for i in found).count("gift_card") == 10
    blocked = [i for i in found if i.decision["blocked_by"] == "monthly_budget"]
    assert len(blocked) == 40 and all(i.offer_type == "apology_only" for i in blocked)
    spent = sum(r.amount for r in rows(runtime, BudgetReservation) if r.state == "spent")
    assert spent == Decimal(100)
    assert {i.state for i in found} == {"notified"}, "every customer is told, with or without a gift card"


def held_until_another_decision_reads(read_budget, patience: float = 2.0):
    """`budget.state` that waits, after reading, until a second decision has read too (or
    `patience` runs out), so two deciding transactions overlap between reading the budget and
    reserving from it whenever the app lets them: then both see room for the same gift card."""
    readers = []

    def read_and_wait(*args, **kwargs):
        state = read_budget(*args, **kwargs)
        readers.append(threading.get_ident())
        # Polled, not a timed lock wait: under libfaketime (.ci/run) those never time out.
        deadline = time.monotonic() + patience
        while len(readers) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        return state

    return read_and_wait


def test_two_decisions_at_once_cannot_both_spend_the_last_of_the_budget(installed, runtime, clock, monkeypatch):
    from saleor_cs_app.jobs import incidents_flow
    from saleor_cs_app.store import budget

    use_policy(runtime, installed, gift_cards_of_10_usd_within(monthly_budget=10))
    queue_handoff = runtime.jobs.enqueue
    detected = []

    def enqueue_all_but_decisions(task_name, *args):
        if task_name == "handle_incident":
            detected.append(*args)
        else:
            queue_handoff(task_name, *args)

    monkeypatch.setattr(runtime.jobs, "enqueue", enqueue_all_but_decisions)
    send_late_orders(installed, clock, 2)
    runtime.jobs.drain()
    assert len(detected) == 2 and [i.state for i in incidents(runtime)] == ["detected"] * 2
    monkeypatch.setattr(runtime.jobs, "enqueue", queue_handoff)
    monkeypatch.setattr(budget, "state", held_until_another_decision_reads(budget.state))

    start = threading.Barrier(2)

    def decide(incident_id):
        start.wait()
        incidents_flow.handle(runtime, incident_id)

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(decide, detected))
    runtime.jobs.drain()

    assert len(installed.gift_cards) == 1, "a budget for one gift card gave one"
    assert sorted(i.offer_type for i in incidents(runtime)) == ["apology_only", "gift_card"]
    held = [r.amount for r in rows(runtime, BudgetReservation) if r.state in ("reserved", "spent")]
    assert held == [Decimal(10)]


def test_different_signals_for_one_order_at_once_make_one_incident(installed, runtime, clock):
    created = clock.now - timedelta(days=10)
    order = installed.add_order(created=created)
    events = ["ORDER_CREATED", "ORDER_UPDATED", "ORDER_CONFIRMED", "ORDER_FULLY_PAID", "ORDER_UPDATED"]
    bodies = [
        (
            event,
            json.dumps(
                installed.webhook_payload(event, order_id=order["id"], issuedAt=created.isoformat(), n=i)
            ).encode(),
        )
        for i, event in enumerate(events)
    ]
    with ThreadPoolExecutor(5) as pool:
        assert all(r.status_code == 200 for r in pool.map(lambda e: installed.send_webhook(e[0], e[1]), bodies))
    run_workers(runtime, 4)
    assert len(rows(runtime, WebhookDelivery)) == 4, "the repeated ORDER_UPDATED is one delivery"
    (incident,) = incidents(runtime)
    assert incident.kind == "late_shipment"


def test_four_pumps_at_once_take_each_stored_delivery_exactly_once(installed, runtime, clock):
    """The table is the queue: pumps in four threads (as in four worker processes) claim
    different rows, so the pumps' own counts add up to the deliveries, none done twice."""
    send_late_orders(installed, clock, 40)
    barrier = threading.Barrier(4)
    taken: list[int] = []

    def pump():
        barrier.wait()
        taken.append(runtime.jobs.pump.run_pending())

    threads = [threading.Thread(target=pump) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert sum(taken) == 40, taken
    assert {d.state for d in rows(runtime, WebhookDelivery)} == {"done"}
    assert runtime.jobs.pump.run_pending() == 0


def test_two_worker_processes_share_the_queue(installed, runtime, clock, settings):
    """The scale-out path: web (this process) enqueues, two `saleor-cs-app worker` processes consume."""
    env = {
        **os.environ,
        "APP_URL": settings.app_url,
        "DATABASE_URL": settings.database_url,
        "SECRET_KEY": settings.secret_key,
        "LOG_LEVEL": "INFO",
    }
    if settings.redis_url:
        env["REDIS_URL"] = settings.redis_url
    else:
        env.pop("REDIS_URL", None)
    # The worker processes run on the machine's clock, so these orders are placed by it.
    clock.now = datetime.now(timezone.utc).replace(microsecond=0)
    placed = send_late_orders(installed, clock, 20)
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "saleor_cs_app", "worker", "--workers", "2"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            states = [i.state for i in incidents(runtime)]
            if len(states) == 20 and all(s in ("notified", "failed") for s in states):
                break
            time.sleep(0.5)
    finally:
        for w in workers:
            w.terminate()
        logs = [w.communicate(timeout=30)[1] for w in workers]
    processed = [sum('"delivery processed"' in line for line in log.splitlines()) for log in logs]
    # Which process takes how many is up to the queue (an idle Huey worker backs off before
    # polling again, so one may take all 20): the guarantee is each delivery processed once.
    assert sum(processed) == 20, processed
    found = incidents(runtime)
    assert len(found) == 20 and {i.state for i in found} == {"notified"}
    assert {i.order_id for i in found} == {o["id"] for o in placed}
    assert len(installed.notes) == 20 and all(len(n) == 1 for n in installed.notes.values())
