"""The Insights page's queries on 1,000,000 tracked orders and 100,000 incidents, on SQLite and PostgreSQL.

What the page asks when it opens (goal: under 2 s each, best of 5):
  - "What the goodwill buys": the stored daily count (store.returns.latest), drawn as the pygal chart and
    written as the CSV, as the resolvers do;
  - the month at a glance (store.insights.month_insights) for the month with the most incidents.
And what the daily job does (jobs/returns_count.py; not the page, printed beside it, best of 2): the count
itself, one pass over ix_tracked_orders_customer, and storing its result. Its plan is EXPLAINed: the order
scan must read that index (on SQLite a covering index; on PostgreSQL an index scan or index-only scan).

Data, per backend, in a fresh database migrated to head (SQLite: a temp file; PostgreSQL: the private database
named in --pg-url, its public schema dropped and re-created, then VACUUM ANALYZEd): one tenant; N orders by
N/4 customers (user ids, every fourth a guest by e-mail) over the two years before the fixed clock, 20-150 EUR;
M incidents on every (N/M)-th order, detected 3 days after it, under three rules (gift card, free-shipping
voucher, apology only — a fifth of those held back by the budget), a third of the codes spent.

Usage: python bench/insights.py [--orders 1000000] [--incidents 100000] [--backends sqlite,postgresql]
                                [--pg-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_insights]
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

from sqlalchemy import create_engine, insert, select, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from saleor_cs_app.runtime import Runtime  # noqa: E402
from saleor_cs_app.settings import Settings  # noqa: E402
from saleor_cs_app.store import insights, returns, tenants  # noqa: E402
from saleor_cs_app.store.migrate import upgrade  # noqa: E402
from saleor_cs_app.store.models import GoodwillRedemption, Incident, TrackedOrder  # noqa: E402
from saleor_cs_app.ui.charts import rates_over_time  # noqa: E402
from saleor_cs_app.ui.returns_export import returns_csv  # noqa: E402

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
GOAL = 2.0
LOAD_BATCH = 50_000
API_URL = "https://shop.example/graphql/"
SECRET = "bench-secret-key-0123456789"
RULES = (("Very late", "gift_card", "15.00"), ("Late", "free_shipping_voucher", "5.90"), (None, "apology_only", "0"))


def customer_of(i: int, customers: int) -> str:
    c = (i * 2654435761) % customers
    return f"email:guest{c}@example.com" if c % 4 == 0 else f"user:VXNlcjo{c}"


def created_of(i: int) -> datetime:
    return NOW - timedelta(minutes=(i * 7919) % (730 * 24 * 60))


def load(runtime: Runtime, orders: int, incidents: int) -> int:
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
    customers, stride = max(1, orders // 4), max(1, orders // incidents)
    for start in range(0, orders, LOAD_BATCH):
        rows, found, spent = [], [], []
        for i in range(start, min(start + LOAD_BATCH, orders)):
            created = created_of(i)
            rows.append(
                {
                    "tenant_id": tenant_id,
                    "order_id": f"T3JkZXI6{i:08d}",
                    "number": str(100_000 + i),
                    "channel_slug": "default",
                    "status": "FULFILLED",
                    "created_at": created,
                    "facts": {},
                    "updated_at": created,
                    "customer_key": customer_of(i, customers),
                    "total_amount": Decimal(20 + (i * 31) % 131),
                    "currency": "EUR",
                }
            )
            if i % stride or i // stride >= incidents:
                continue
            rule, offer, value = RULES[(i // stride) % 3]
            held = offer == "apology_only" and (i // stride) % 5 == 0
            incident_id = f"{i:032x}"
            found.append(
                {
                    "id": incident_id,
                    "tenant_id": tenant_id,
                    "order_id": f"T3JkZXI6{i:08d}",
                    "order_number": str(100_000 + i),
                    "channel_slug": "default",
                    "kind": "late_shipment",
                    "fulfillment_id": "",
                    "source": "deadline",
                    "state": "notified",
                    "days_late": 2,
                    "facts": {"warehouse": "Main"},
                    "customer_email": None,
                    "carrier": "Posti",
                    "warehouse": "Main",
                    "detected_at": created + timedelta(days=3),
                    "updated_at": created + timedelta(days=3),
                    "decision": {"rule": "Very late" if held else rule, "blocked_by": "budget" if held else None},
                    "offer_type": offer,
                    "offer_value": Decimal(value),
                    "currency": "EUR",
                    "goodwill_code": f"SORRY-{i:010d}" if offer == "free_shipping_voucher" else None,
                    "attempts": 0,
                }
            )
            if offer != "apology_only" and (i // stride) % 3 == 0:
                spent.append(
                    {
                        "tenant_id": tenant_id,
                        "incident_id": incident_id,
                        "kind": "voucher" if offer == "free_shipping_voucher" else "gift_card",
                        "order_id": f"later-{i}",
                        "order_number": "1",
                        "used_at": created + timedelta(days=20),
                        "amount": Decimal(value),
                        "currency": "EUR",
                        "source": "webhook",
                        "recorded_at": created + timedelta(days=20),
                    }
                )
        with runtime.db.transaction() as session:
            session.execute(insert(TrackedOrder), rows)
            if found:
                session.execute(insert(Incident), found)
            if spent:
                session.execute(insert(GoodwillRedemption), spent)
    if not runtime.db.is_sqlite:
        with runtime.db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    return tenant_id


def best(repeats: int, work) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return min(times), result


def page_read(runtime: Runtime, tenant_id: int) -> int:
    """What the page's three resolvers do with the stored count: read it, draw it, write its CSV."""
    with runtime.db.read() as session:
        _, report = returns.latest(session, tenant_id)
    months = report["months"]
    series = ("redemption", "compensated", "apology", "baseline")
    svg = rates_over_time(
        [m["month"] for m in months],
        [(k, [None if m[k]["too_few"] else m[k]["rate"] for m in months]) for k in series],
    )
    return len(svg) + len(returns_csv(report))


def busiest_month(runtime: Runtime, tenant_id: int) -> str:
    with runtime.db.read() as session:
        times = session.scalars(select(Incident.detected_at).where(Incident.tenant_id == tenant_id)).all()
    counts: dict[str, int] = {}
    for t in times:
        counts[t.strftime("%Y-%m")] = counts.get(t.strftime("%Y-%m"), 0) + 1
    return max(counts, key=counts.get)


def count_plan(runtime: Runtime, tenant_id: int) -> str:
    order_scan = (
        select(TrackedOrder.customer_key, TrackedOrder.created_at, TrackedOrder.total_amount, TrackedOrder.currency)
        .where(TrackedOrder.tenant_id == tenant_id, TrackedOrder.customer_key.is_not(None))
        .order_by(TrackedOrder.customer_key, TrackedOrder.created_at)
    )
    with runtime.db.engine.connect() as conn:
        sql = str(order_scan.compile(conn, compile_kwargs={"literal_binds": True}))
        prefix = "EXPLAIN QUERY PLAN " if runtime.db.is_sqlite else "EXPLAIN "
        return "\n".join(" ".join(str(c) for c in row) for row in conn.exec_driver_sql(prefix + sql))


def run_case(name: str, database_url: str, orders: int, incidents: int) -> bool:
    runtime = Runtime.build(
        Settings(database_url=database_url, secret_key=SECRET, app_url="http://127.0.0.1:1"), clock=lambda: NOW
    )
    try:
        upgrade(runtime.db)
        started = time.perf_counter()
        tenant_id = load(runtime, orders, incidents)
        print(f"[{name}] loaded {orders:,} orders, {incidents:,} incidents in {time.perf_counter() - started:.0f} s")
        plan = count_plan(runtime, tenant_id)
        print(f"[{name}] the count's order scan:\n    " + plan.replace("\n", "\n    "))
        uses_index = "ix_tracked_orders_customer" in plan

        def daily_count():
            with runtime.db.read() as session:
                report = returns.count(session, tenant_id, NOW)
            with runtime.db.transaction() as session:
                returns.save(session, tenant_id, report, NOW)
            return report

        count_s, report = best(2, daily_count)
        assert sum(r.incidents for r in report.rows) + report.apology.incidents == incidents, "every incident counted"
        read_s, size = best(5, lambda: page_read(runtime, tenant_id))
        month = busiest_month(runtime, tenant_id)
        month_s, found = best(5, lambda: _month(runtime, tenant_id, month))
        print(f"[{name}] daily count (job, not the page): {count_s:.2f} s  "
              f"(baseline {report.baseline.incidents:,} customer-weeks)")
        print(f"[{name}] page: stored count + chart + CSV: {read_s * 1000:.1f} ms ({size:,} bytes)")
        print(f"[{name}] page: month at a glance {month} ({found.incidents:,} incidents): {month_s * 1000:.0f} ms")
        ok = read_s < GOAL and month_s < GOAL and uses_index
        print(f"[{name}] goal < {GOAL:.0f} s for the page, order scan on ix_tracked_orders_customer: "
              f"{'MET' if ok else 'NOT MET'}")
        return ok
    finally:
        runtime.db.dispose()


def _month(runtime: Runtime, tenant_id: int, month: str):
    with runtime.db.read() as session:
        return insights.month_insights(session, tenant_id, month)


def reset_pg(url: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--pg-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/bench_insights")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    ok = True
    for backend in args.backends.split(","):
        if backend == "sqlite":
            with tempfile.TemporaryDirectory() as tmp:
                ok &= run_case("sqlite", f"sqlite:///{tmp}/bench.db", args.orders, args.incidents)
        elif backend == "postgresql":
            reset_pg(args.pg_url)
            ok &= run_case("postgresql", args.pg_url, args.orders, args.incidents)
            reset_pg(args.pg_url)
        else:
            parser.error(f"unknown backend {backend}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
