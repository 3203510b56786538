"""The daily count reads incidents and orders from the database (SQLite and PostgreSQL alike)."""

from datetime import timedelta
from decimal import Decimal

from saleor_cs_app.jobs import returns_count
from saleor_cs_app.store import returns
from tests.flows import tenant_id
from tests.returns_seed import add_incident, add_order


def test_the_count_compares_each_group_with_customers_without_an_incident_in_the_same_weeks(
    installed, runtime, clock
):
    tenant = tenant_id(runtime, installed)
    t0 = clock.now - timedelta(days=200)
    with runtime.db.transaction() as session:
        add_order(session, tenant, "A1", "user:A", t0)
        add_incident(session, tenant, "A1", t0 + timedelta(days=5))
        add_order(session, tenant, "A2", "user:A", t0 + timedelta(days=20), total="80")  # back within 30 days
        add_order(session, tenant, "B1", "email:b@x", t0)
        add_incident(session, tenant, "B1", t0 + timedelta(days=5), offer="apology_only", value="0", blocked="budget")
        add_order(session, tenant, "C1", "user:C", t0 + timedelta(days=5))  # same week, no incident
        add_order(session, tenant, "C2", "user:C", t0 + timedelta(days=70))  # back within 90
        add_order(session, tenant, "D1", "user:D", t0 + timedelta(days=60))  # another week: not the baseline
        add_order(session, tenant, "D2", "user:D", t0 + timedelta(days=61))
        add_order(session, tenant, "E1", "user:E", t0)
        add_incident(session, tenant, "E1", t0 + timedelta(days=5), state="failed")  # never reached the customer

    with runtime.db.read() as session:
        report = returns.count(session, tenant, clock.now, min_sample=1)
    (row,) = report.rows
    assert (row.rule, row.offer_type, row.incidents, row.spent) == ("Late", "gift_card", 1, Decimal(15))
    assert row.returns[30].count == 1 and row.revenue.total == Decimal(80)
    assert (report.apology.incidents, report.apology.held_back, report.apology.returns[180].count) == (1, 1, 0)
    assert report.baseline.incidents == 1, "C only: D ordered in another week, A and B had incidents"
    assert (report.baseline.returns[30].count, report.baseline.returns[90].count) == (0, 1)

    returns_count.count_all(runtime)
    returns_count.count_all(runtime)  # a second day's count replaces the first
    with runtime.db.read() as session:
        computed_at, stored = returns.latest(session, tenant)
    assert computed_at == clock.now and stored["rows"][0]["spent"] == "15.00"
    assert stored["rows"][0]["returns"]["30"] == {"count": 1, "base": 1, "too_few": True, "rate": None, "interval": None}
