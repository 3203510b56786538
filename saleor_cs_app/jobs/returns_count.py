"""The daily count of returning customers per tenant (store/returns.py), stored for the Insights page."""

from __future__ import annotations

from saleor_cs_app.jobs.sweep import active_tenant_ids
from saleor_cs_app.runtime import Runtime
from saleor_cs_app.store import returns


def count_tenant(runtime: Runtime, tenant_id: int) -> None:
    now = runtime.clock()
    with runtime.db.read() as session:
        report = returns.count(session, tenant_id, now)
    with runtime.db.transaction() as session:
        returns.save(session, tenant_id, report, now)


def count_all(runtime: Runtime) -> None:
    for tenant_id in active_tenant_ids(runtime):
        count_tenant(runtime, tenant_id)
