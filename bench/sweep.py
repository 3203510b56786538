"""One deadline sweep: 1,000 due deadlines among 10k tracked orders, and among 1M, on SQLite and PostgreSQL.

The sweep reads deadlines by the `due_at` index only, so its cost should
follow the due rows, not the tracked ones: the goal is a 1M / 10k time ratio
of at most 1.5 on each backend, for the whole sweep and for the claim of the
due rows on its own (`store.orders.claim_due`, one batch), printed beside it.
The whole sweep spends ~1.6 ms per due deadline on opening incidents, which
hides a full scan of the deadlines table; the claim alone does not, but a few
milliseconds are noisy on a shared machine, so the gate is the plan: the
claim's own statement, EXPLAINed on the large case, must use ix_deadlines_due_at. `--drop-due-index` drops that
index after migrating, to show the bench fails without it.

Data, per case, in a fresh database migrated to head (SQLite: a temp file;
PostgreSQL: our own database `cs_bench`, dropped and re-created per case and
dropped at the end): one tenant (store.tenants.save_installation plus the
install hook that stores the default policy), N tracked orders with a small,
realistic `facts` snapshot, and one `late_shipment` Deadline per order. 1,000
deadlines (spread evenly over the orders) are due, in the past of the fixed
clock; the rest are due within the next 30 days. Rows are bulk-loaded through
SQLAlchemy Core executemany in batches of 50k; on PostgreSQL the tables are
then VACUUM ANALYZEd.

Measurement: time.perf_counter around `saleor_cs_app.jobs.sweep.run(runtime)`
only, with the runtime's clock fixed; before the first round, the claim alone:
best of 5 claims of one batch (500) of the 1,000 due rows, each in a
transaction rolled back, and EXPLAIN of the claim's own SQL statement. Best of 3 rounds per case: round 1 uses
the due rows as loaded; before rounds 2 and 3 (untimed) another, disjoint set
of 1,000 orders has its deadline moved into the past (and on PostgreSQL the
deadlines table is VACUUM ANALYZEd, as autovacuum would). Every round must
handle exactly 1,000 deadlines and open 1,000 incidents (asserted). The
`handle_incident` tasks it enqueues are counted and printed per round; a count
other than 1,000 is reported as CHECK FAILED (not asserted, so the timings
still print). The queue is an embedded SqliteHuey in the temp directory; no
consumer runs, so only the enqueue is timed. Exit status 1 when a ratio is
above the goal or a check failed.

Usage: python bench/sweep.py [--tracked-large 1000000] [--tracked-small 10000]
                             [--backends sqlite,postgresql] [--pg-url postgresql+psycopg://postgres@127.0.0.1:5432]
                             [--drop-due-index]
"""

from __future__ import annotations

import argparse
import base64
import logging
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from huey import SqliteHuey
from sqlalchemy import bindparam, create_engine, event, func, insert, select, text, update

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from saleor_cs_app.jobs import sweep  # noqa: E402
from saleor_cs_app.jobs.queue import Jobs  # noqa: E402
from saleor_cs_app.runtime import Runtime  # noqa: E402
from saleor_cs_app.settings import Settings  # noqa: E402
from saleor_cs_app.store import orders, tenants  # noqa: E402
from saleor_cs_app.store.migrate import upgrade  # noqa: E402
from saleor_cs_app.store.models import Deadline, Incident, TrackedOrder  # noqa: E402

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
DUE = 1_000
ROUNDS = 3
CLAIM_REPEATS = 5
DUE_INDEX = "ix_deadlines_due_at"
LOAD_BATCH = 50_000
GOAL = 1.5
API_URL = "https://shop.example/graphql/"
PG_DATABASE = "cs_bench"
SECRET = "bench-secret-key-0123456789"


# -- data ------------------------------------------------------------------------------------------
def order_id(i: int) -> str:
    # Saleor order ids: base64("Order:<uuid>"); scattered, so the unique index is not loaded in order.
    return base64.b64encode(f"Order:{uuid.UUID(int=(i * 0x9E3779B97F4A7C15 + 1) % 2**128)}".encode()).decode()


def facts(i: int, number: str) -> dict:
    """The shape watch.snapshot.order_facts stores (two lines, no fulfilment yet)."""
    return {
        "number": number,
        "channel_id": "Q2hhbm5lbDox",
        "channel_slug": "default",
        "channel_country": "FI",
        "currency": "EUR",
        "total": "98.00",
        "shipping_price": "5.90",
        "customer_email": f"customer{i}@example.com",
        "customer_first_name": "Aino",
        "language_code": "FI_FI",
        "shipping_method_name": "Posti",
        "lines": [
            {
                "line_id": f"T3JkZXJMaW5lOj{i}a",
                "sku": f"SKU-{i % 50}",
                "name": "Linen shirt M",
                "quantity": 1,
                "unit_price": "49.00",
                "variant_id": "UHJvZHVjdFZhcmlhbnQ6MQ==",
            },
            {
                "line_id": f"T3JkZXJMaW5lOj{i}b",
                "sku": f"SKU-{(i + 7) % 50}",
                "name": "Linen trousers L",
                "quantity": 1,
                "unit_price": "49.00",
                "variant_id": "UHJvZHVjdFZhcmlhbnQ6Mg==",
            },
        ],
        "fulfillments": {},
    }


def due_orders(tracked: int, round_: int) -> list[int]:
    """The order indexes whose deadline is due in this round: 1,000 spread over all orders, disjoint per round."""
    stride = tracked // DUE
    return [k * stride + round_ for k in range(DUE)]


def past(i: int) -> datetime:
    return NOW - timedelta(hours=1 + i % 96)


def future(i: int) -> datetime:
    return NOW + timedelta(minutes=30 + (i * 37) % (30 * 24 * 60))


def load(runtime: Runtime, tracked: int) -> int:
    with runtime.db.transaction() as session:
        tenant, _ = tenants.save_installation(
            session,
            saleor_api_url=API_URL,
            app_id="QXBwOjE=",
            token_ciphertext=runtime.cipher.encrypt("t" * 30),
            jwks='{"keys":[]}',
            now=NOW,
        )
        runtime.on_installed(session, tenant, NOW)
        tenant_id = tenant.id
    due = set(due_orders(tracked, 0))
    for start in range(0, tracked, LOAD_BATCH):
        orders, deadlines = [], []
        for i in range(start, min(start + LOAD_BATCH, tracked)):
            oid, number = order_id(i), str(100_000 + i)
            created = NOW - timedelta(days=2, minutes=i % 2880)
            orders.append(
                {
                    "tenant_id": tenant_id,
                    "order_id": oid,
                    "number": number,
                    "channel_slug": "default",
                    "status": "UNFULFILLED",
                    "created_at": created,
                    "paid_at": created,
                    "ship_by": None,
                    "max_delivery_days": 3,
                    "click_and_collect": False,
                    "facts": facts(i, number),
                    "updated_at": created,
                }
            )
            deadlines.append(
                {
                    "tenant_id": tenant_id,
                    "order_id": oid,
                    "kind": "late_shipment",
                    "fulfillment_id": "",
                    "due_at": past(i) if i in due else future(i),
                }
            )
        with runtime.db.transaction() as session:
            session.execute(insert(TrackedOrder), orders)
            session.execute(insert(Deadline), deadlines)
    if not runtime.db.is_sqlite:
        vacuum(runtime, "")
    return tenant_id


def make_due(runtime: Runtime, tenant_id: int, tracked: int, round_: int) -> None:
    table = Deadline.__table__
    statement = (
        update(table)
        .where(table.c.tenant_id == tenant_id, table.c.order_id == bindparam("oid"), table.c.kind == "late_shipment")
        .values(due_at=bindparam("due"))
    )
    with runtime.db.transaction() as session:
        session.connection().execute(
            statement, [{"oid": order_id(i), "due": past(i)} for i in due_orders(tracked, round_)]
        )
    if not runtime.db.is_sqlite:
        vacuum(runtime, "deadlines")


def vacuum(runtime: Runtime, table: str) -> None:
    with runtime.db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql(f"VACUUM ANALYZE {table}")


def count(runtime: Runtime, query) -> int:
    with runtime.db.read() as session:
        return session.scalar(query)


# -- one case --------------------------------------------------------------------------------------
@dataclass
class Case:
    load_seconds: float
    claim_seconds: float  # best claim of one batch of due rows, on its own
    claim_plan: str  # the database's plan for the claim's statement
    times: list[float]  # seconds per round
    queued: list[int]  # handle_incident tasks enqueued per round (should be DUE)


def time_claim(runtime: Runtime) -> float:
    best = float("inf")
    for _ in range(CLAIM_REPEATS):
        with runtime.db.transaction() as session:
            started = time.perf_counter()
            claimed = orders.claim_due(session, NOW, sweep.BATCH)
            best = min(best, time.perf_counter() - started)
            assert len(claimed) == min(DUE, sweep.BATCH), len(claimed)
            session.rollback()
    return best


def claim_plan(runtime: Runtime) -> str:
    """EXPLAIN of the very statement claim_due sends (captured from the driver call)."""
    sent = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        sent.append((statement, parameters))

    event.listen(runtime.db.engine, "before_cursor_execute", capture)
    try:
        with runtime.db.transaction() as session:
            orders.claim_due(session, NOW, sweep.BATCH)
            session.rollback()
    finally:
        event.remove(runtime.db.engine, "before_cursor_execute", capture)
    (statement, parameters) = next((s, p) for s, p in sent if "deadlines" in s and "SELECT" in s.upper())
    explain = "EXPLAIN QUERY PLAN " if runtime.db.is_sqlite else "EXPLAIN "
    with runtime.db.engine.connect() as conn:
        cursor = conn.connection.cursor()
        cursor.execute(explain + statement, parameters)
        return " | ".join(" ".join(str(v) for v in row) for row in cursor.fetchall())


def drop_due_index(runtime: Runtime) -> None:
    with runtime.db.transaction() as session:
        session.execute(text(f"DROP INDEX {DUE_INDEX}"))


def run_case(database_url: str, tracked: int, queue_file: Path, *, without_due_index: bool = False) -> Case:
    runtime = Runtime.build(
        Settings(database_url=database_url, secret_key=SECRET, app_url="http://127.0.0.1:1"), clock=lambda: NOW
    )
    huey = SqliteHuey("saleor-cs-app-bench", filename=str(queue_file), utc=True)
    jobs = Jobs(runtime, huey=huey)
    try:
        upgrade(runtime.db)
        if without_due_index:
            drop_due_index(runtime)
        started = time.perf_counter()
        tenant_id = load(runtime, tracked)
        case = Case(
            load_seconds=time.perf_counter() - started,
            claim_seconds=time_claim(runtime),
            claim_plan=claim_plan(runtime),
            times=[],
            queued=[],
        )
        assert count(runtime, select(func.count()).select_from(TrackedOrder)) == tracked
        for round_ in range(ROUNDS):
            if round_:
                make_due(runtime, tenant_id, tracked, round_)
            assert count(runtime, select(func.count()).select_from(Deadline).where(Deadline.due_at <= NOW)) == DUE
            incidents_before = count(runtime, select(func.count()).select_from(Incident))
            queued_before = jobs.huey.pending_count()
            started = time.perf_counter()
            handled = sweep.run(runtime)
            case.times.append(time.perf_counter() - started)
            assert handled == DUE, handled
            assert count(runtime, select(func.count()).select_from(Incident)) - incidents_before == DUE
            assert count(runtime, select(func.count()).select_from(Deadline).where(Deadline.due_at <= NOW)) == 0
            # Checked and reported, not asserted, so the timings still print when the hand-over is broken.
            case.queued.append(jobs.huey.pending_count() - queued_before)
        return case
    finally:
        runtime.db.dispose()


def sqlite_case(tracked: int, casedir: Path, **options) -> Case:
    return run_case(f"sqlite:///{casedir}/bench.db", tracked, casedir / "queue.db", **options)


def pg_case(tracked: int, casedir: Path, base_url: str, **options) -> Case:
    recreate_pg(base_url, drop_only=False)
    try:
        return run_case(f"{base_url}/{PG_DATABASE}", tracked, casedir / "queue.db", **options)
    finally:
        recreate_pg(base_url, drop_only=True)


def recreate_pg(base_url: str, *, drop_only: bool) -> None:
    engine = create_engine(f"{base_url}/postgres", isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)"))
            if not drop_only:
                conn.execute(text(f"CREATE DATABASE {PG_DATABASE}"))
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tracked-small", type=int, default=10_000)
    parser.add_argument("--tracked-large", type=int, default=1_000_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--pg-url", default="postgresql+psycopg://postgres@127.0.0.1:5432")
    parser.add_argument("--drop-due-index", action="store_true", help=f"drop {DUE_INDEX}: this run must fail")
    args = parser.parse_args()
    options = {"without_due_index": args.drop_due_index}
    assert min(args.tracked_small, args.tracked_large) >= DUE * (ROUNDS + 1), (
        "too few tracked orders for disjoint rounds"
    )
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)

    sizes = (args.tracked_small, args.tracked_large)
    results: dict[str, dict[int, Case]] = {}
    print(f"one sweep, {DUE:,} due deadlines; best of {ROUNDS} rounds (every round in brackets)")
    if args.drop_due_index:
        print(f"{DUE_INDEX} dropped: the claim must get slower with the tracked rows and this run must fail")
    print(
        f"{'backend':<11} {'tracked':>10} {'load s':>7} {'claim ms':>9} {'sweep ms':>9}  {'rounds ms':<22} "
        "handle_incident queued"
    )
    with tempfile.TemporaryDirectory(prefix="cs-sweep-bench-") as tmp:
        workdir = Path(tmp)
        for backend in args.backends.split(","):
            results[backend] = {}
            for tracked in sizes:
                casedir = Path(tempfile.mkdtemp(dir=workdir, prefix=f"{backend}-{tracked}-"))
                if backend == "sqlite":
                    case = sqlite_case(tracked, casedir, **options)
                elif backend == "postgresql":
                    case = pg_case(tracked, casedir, args.pg_url.rstrip("/"), **options)
                else:
                    raise SystemExit(f"unknown backend {backend!r}")
                results[backend][tracked] = case
                rounds = "[" + ", ".join(f"{t * 1000:.0f}" for t in case.times) + "]"
                queued = "/".join(str(q) for q in case.queued)
                print(
                    f"{backend:<11} {tracked:>10,} {case.load_seconds:7.1f} {case.claim_seconds * 1000:9.1f} "
                    f"{min(case.times) * 1000:9.1f}  {rounds:<22} {queued}",
                    flush=True,
                )
                print(f"{'':<11} claim plan: {case.claim_plan}", flush=True)
    failed = False
    for backend, by_size in results.items():
        small, large = by_size[sizes[0]], by_size[sizes[1]]
        ratio = min(large.times) / min(small.times)
        claim_ratio = large.claim_seconds / small.claim_seconds
        failed |= ratio > GOAL
        print(
            f"ratio {backend:<11} {sizes[1]:,} / {sizes[0]:,} tracked: "
            f"sweep {ratio:.2f} (goal <= {GOAL}), claim alone {claim_ratio:.2f}"
        )
        if DUE_INDEX not in large.claim_plan:
            failed = True
            print(f"CHECK FAILED {backend}: with {sizes[1]:,} tracked the claim's plan does not use {DUE_INDEX}")
    for backend, by_size in results.items():
        if any(q != DUE for case in by_size.values() for q in case.queued):
            failed = True
            print(
                f"CHECK FAILED {backend}: the sweep opened {DUE:,} incidents per round but did not enqueue "
                f"{DUE:,} handle_incident tasks (see the queued column)"
            )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
