"""After the acknowledgement: ORDER_UPDATED deliveries processed per second by one and by two worker processes,
on PostgreSQL + Redis, and where one delivery's time goes (issue 23).

Data, per case, in our own emptied PostgreSQL database: the app installed for the Saleor stand-in (its
token, so any call to Saleor works), ORDERS ordinary orders (checkout orders of the stand-in: paid,
unfulfilled, two lines) already tracked (their ORDER_CREATED deliveries processed before timing), then
UPDATES ORDER_UPDATED deliveries of those orders stored as the acknowledgement stores them
(store.deliveries.insert_received). Then `saleor-cs-app worker` processes (default 4 threads each) are
started and the rate is the deliveries over the span of their own processed_at stamps (first to last).

Before them, the floor: round trips per delivery (counted) × PostgreSQL's round trip (measured).

--profile: cProfile of one process applying PROFILE deliveries in one thread (jobs.deliveries.process_oldest),
the top functions by their own time and by cumulative time.

  python bench/throughput.py [--orders 2000] [--updates 6000] [--processes 1,2] [--profile]
      [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/bench_latency --redis redis://127.0.0.1:6379/13]
"""

from __future__ import annotations

import argparse
import base64
import cProfile
import hashlib
import io
import json
import os
import pstats
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from latency import machine_facts  # noqa: E402
from webhook_ingest import PY, _epoch, stop  # noqa: E402

GOAL_PER_PROCESS, GOAL_SCALING = 200, 1.6
SECRET = "bench-secret-key-0123456789"


def settings_env(args, saleor) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": args.postgres,
        "REDIS_URL": args.redis,
        "SECRET_KEY": SECRET,
        "APP_URL": "http://127.0.0.1:1",
        "ALLOWED_SALEOR_URLS": saleor.api_url,
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": ":".join(p for p in (args.app_path, str(ROOT)) if p),
    }


def runtime_for(env: dict):
    from saleor_cs_app.runtime import Runtime
    from saleor_cs_app.settings import Settings

    return Runtime.build(
        Settings(
            database_url=env["DATABASE_URL"],
            redis_url=env["REDIS_URL"],
            secret_key=SECRET,
            app_url="http://127.0.0.1:1",
            allowed_saleor_urls=env["ALLOWED_SALEOR_URLS"],
        )
    )


def bodies(saleor, event: str, orders: int, first: int) -> list[str]:
    """`orders` payloads of `event`, one per order, rendered from 20 stand-in orders with unique ids."""
    templates = []
    for k in range(20):
        order_id = saleor.templates[k]
        templates.append((order_id, json.dumps(saleor.webhook_payload(event, order_id=order_id))))
    out = []
    for i in range(first, first + orders):
        order_id, template = templates[i % len(templates)]
        unique = base64.b64encode(f"Order:{uuid.UUID(int=i)}".encode()).decode()
        out.append(template.replace(order_id, unique))
    return out


def _round(body: str, r: int) -> str:
    """The same order updated again: a new body (deliveries are deduplicated by their body's hash)."""
    payload = json.loads(body)
    payload["benchRound"] = r
    return json.dumps(payload)


def reset(args, env: dict, saleor, token: str) -> tuple:
    import redis
    from sqlalchemy import create_engine, text

    from saleor_cs_app.store import tenants
    from saleor_cs_app.store.migrate import upgrade

    engine = create_engine(args.postgres)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    redis.Redis.from_url(args.redis).flushdb()
    runtime = runtime_for(env)
    upgrade(runtime.db)
    with runtime.db.transaction() as session:
        tenant, _ = tenants.save_installation(
            session,
            saleor_api_url=saleor.api_url,
            app_id=saleor.app_id,
            token_ciphertext=runtime.cipher.encrypt(token),
            jwks=json.dumps(saleor.jwks),
            now=runtime.clock(),
        )
        runtime.on_installed(session, tenant, runtime.clock())
        tenant_id = tenant.id
    return runtime, tenant_id


def store(runtime, tenant_id: int, event: str, payloads: list[str]) -> None:
    """Rows as the acknowledgement stores them (store.deliveries), in one bulk insert."""
    from sqlalchemy import insert

    from saleor_cs_app.store.models import WebhookDelivery

    now = runtime.clock()
    rows = [
        {
            "tenant_id": tenant_id,
            "event": event,
            "body_sha256": hashlib.sha256(event.encode() + b"\n" + body.encode()).hexdigest(),
            "body": body,
            "received_at": now,
            "state": "received",
            "attempts": 0,
        }
        for body in payloads
    ]
    with runtime.db.transaction() as session:
        session.execute(insert(WebhookDelivery), rows)


def states(runtime) -> dict:
    from sqlalchemy import text

    with runtime.db.read() as session:
        return dict(session.execute(text("SELECT state, count(*) FROM webhook_deliveries GROUP BY state")).all())


def span(runtime, event: str) -> tuple[int, float]:
    from sqlalchemy import text

    with runtime.db.read() as session:
        n, first, last = session.execute(
            text("SELECT count(*), min(processed_at), max(processed_at) FROM webhook_deliveries WHERE event = :e"),
            {"e": event},
        ).one()
    return n, _epoch(last) - _epoch(first)


def wait_done(runtime, timeout: float = 900) -> None:
    deadline = time.monotonic() + timeout
    while (counts := states(runtime)).get("received"):
        if time.monotonic() > deadline:
            raise RuntimeError(f"not processed in {timeout} s: {counts}")
        time.sleep(0.5)


def case(args, env, saleor, token, processes: int, workdir: Path) -> float:
    runtime, tenant_id = reset(args, env, saleor, token)
    log = (workdir / "worker.log").open("a")
    workers = []
    try:
        store(runtime, tenant_id, "ORDER_CREATED", bodies(saleor, "ORDER_CREATED", args.orders, 0))
        workers = [
            subprocess.Popen([PY, "-m", "saleor_cs_app", "worker"], env=env, cwd=workdir, stdout=log, stderr=log)
            for _ in range(processes)
        ]
        wait_done(runtime)  # the orders are tracked; the workers are warm
        updates = bodies(saleor, "ORDER_UPDATED", args.orders, 0)
        rounds = max(1, args.updates // args.orders)
        payloads = [_round(body, r) for r in range(rounds) for body in updates]
        # Stored all at once, then processed: stop the workers taking them one by one as they arrive.
        for worker in workers:
            worker.send_signal(signal.SIGSTOP)
        store(runtime, tenant_id, "ORDER_UPDATED", payloads)
        for worker in workers:
            worker.send_signal(signal.SIGCONT)
        wait_done(runtime)
        counts = states(runtime)
        assert set(counts) == {"done"}, counts
        n, seconds = span(runtime, "ORDER_UPDATED")
        return n / seconds
    finally:
        for worker in workers:
            stop(worker)
        runtime.db.dispose()


def profile(args, env, saleor, token) -> str:
    from saleor_cs_app.jobs import deliveries

    runtime, tenant_id = reset(args, env, saleor, token)
    from saleor_cs_app.jobs.queue import Jobs

    Jobs(runtime)
    store(runtime, tenant_id, "ORDER_CREATED", bodies(saleor, "ORDER_CREATED", args.profile_n, 0))
    while deliveries.process_oldest(runtime):
        pass
    store(runtime, tenant_id, "ORDER_UPDATED", bodies(saleor, "ORDER_UPDATED", args.profile_n, 0))
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    n = 0
    while deliveries.process_oldest(runtime):
        n += 1
    profiler.disable()
    elapsed = time.perf_counter() - started
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats(40)
    runtime.db.dispose()
    return f"one thread, under cProfile: {n} ORDER_UPDATED in {elapsed:.1f} s ({n / elapsed:.0f}/s)\n" + out.getvalue()


def floor(args, env, saleor, token) -> str:
    """The same run's floor: statements per delivery (counted) × PostgreSQL's round trip (measured).

    One thread applies FLOOR_N deliveries unprofiled, counting the statements the driver sends (and a
    BEGIN and a COMMIT per delivery, each its own round trip); the round trip is the median of
    `SELECT 1` on an idle connection, measured right after."""
    from sqlalchemy import event, text

    from saleor_cs_app.jobs import deliveries
    from saleor_cs_app.jobs.queue import Jobs

    runtime, tenant_id = reset(args, env, saleor, token)
    Jobs(runtime)
    store(runtime, tenant_id, "ORDER_CREATED", bodies(saleor, "ORDER_CREATED", args.floor_n, 0))
    while deliveries.process_oldest(runtime):
        pass
    store(runtime, tenant_id, "ORDER_UPDATED", bodies(saleor, "ORDER_UPDATED", args.floor_n, 0))
    sent = [0]

    def count(*_):
        sent[0] += 1

    event.listen(runtime.db.engine, "before_cursor_execute", count)
    started, n = time.perf_counter(), 0
    while deliveries.process_oldest(runtime):
        n += 1
    elapsed = time.perf_counter() - started
    event.remove(runtime.db.engine, "before_cursor_execute", count)
    # process_oldest's last call found nothing: its one statement is not a delivery's.
    statements = (sent[0] - 1) / n + 2
    trips = []
    with runtime.db.engine.connect() as conn:
        for _ in range(2000):
            t = time.perf_counter()
            conn.execute(text("SELECT 1"))
            trips.append(time.perf_counter() - t)
    trips.sort()
    rtt = trips[len(trips) // 2]
    runtime.db.dispose()
    floor_ms = statements * rtt * 1000
    return (
        f"floor: {statements:.1f} round trips per ORDER_UPDATED (statements + BEGIN + COMMIT) x "
        f"{rtt * 1000:.2f} ms (median SELECT 1) = {floor_ms:.1f} ms: at most {1000 / floor_ms:.0f}/s per thread "
        f"waiting on nothing else; one thread unprofiled: {n / elapsed:.0f}/s ({elapsed / n * 1000:.1f} ms each)"
        f"  load {os.getloadavg()[0]:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=2000)
    parser.add_argument("--updates", type=int, default=6000)
    parser.add_argument("--processes", default="1,2")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--profile-n", type=int, default=1000)
    parser.add_argument("--floor-n", type=int, default=500)
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/bench_latency")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/13")
    parser.add_argument("--app-path", help="measure the saleor_cs_app found in this directory")
    args = parser.parse_args()
    import logging

    logging.basicConfig(level=logging.WARNING)
    from saleor_cs_app.manifest import build_manifest
    from saleor_cs_app.settings import Settings
    from tests.saleor_stand_in import SaleorStandIn

    print(machine_facts(), flush=True)
    saleor = SaleorStandIn().start()
    token = saleor.create_app(build_manifest(Settings(app_url="http://127.0.0.1:1", database_url="sqlite://", secret_key="x" * 32)))
    saleor.templates = [saleor.add_order()["id"] for _ in range(20)]
    env = settings_env(args, saleor)
    print(floor(args, env, saleor, token), flush=True)
    if args.profile:
        print(profile(args, env, saleor, token))
    rates = {}
    with tempfile.TemporaryDirectory(prefix="cs-throughput-") as tmp:
        for processes in (int(p) for p in args.processes.split(",")):
            rates[processes] = case(args, env, saleor, token, processes, Path(tmp))
            print(
                f"{processes} worker process(es): {rates[processes]:.0f} ORDER_UPDATED/s "
                f"({rates[processes] / processes:.0f}/s per process)  load {os.getloadavg()[0]:.2f}",
                flush=True,
            )
    saleor.stop()
    print(f"\n{machine_facts()}")
    if 1 in rates and 2 in rates:
        print(f"two processes / one: {rates[2] / rates[1]:.2f} (goal >= {GOAL_SCALING})")
    print(f"goal: >= {GOAL_PER_PROCESS}/s per worker process")


if __name__ == "__main__":
    main()
