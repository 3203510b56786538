"""Helpers for the end-to-end flow tests: policies, rows, the mail server."""

from __future__ import annotations

from sqlalchemy import select

from saleor_cs_app.care.policy_io import parse_policy, policy_to_dict
from saleor_cs_app.store import policies
from saleor_cs_app.store.models import Incident, IncidentEvent, OutboxMessage, Tenant


def late_order(saleor, runtime, clock, **order_fields) -> dict:
    """An order whose ship-by passed, found by the sweep and handled (customer e-mailed)."""
    from saleor_cs_app.jobs import sweep

    order = saleor.add_order(**order_fields)
    saleor.send_webhook("ORDER_CREATED", order_id=order["id"])
    runtime.jobs.drain()
    clock.advance(days=10)
    sweep.run(runtime)
    runtime.jobs.drain()
    return order


def tenant_id(runtime, saleor) -> int:
    with runtime.db.read() as session:
        return session.scalar(select(Tenant.id).where(Tenant.saleor_api_url == saleor.api_url))


def use_policy(runtime, saleor, document: dict) -> None:
    with runtime.db.transaction() as session:
        policies.save(
            session, tenant_id(runtime, saleor), policy_to_dict(parse_policy(document)), by="test", now=runtime.clock()
        )


def rows(runtime, model, *where):
    with runtime.db.read() as session:
        found = session.scalars(select(model).where(*where)).all()
        for row in found:
            session.expunge(row)
        return found


def incidents(runtime, *where) -> list[Incident]:
    return rows(runtime, Incident, *where)


def outbox(runtime, *where) -> list[OutboxMessage]:
    return rows(runtime, OutboxMessage, *where)


def timeline(runtime, incident_id: str) -> list[str]:
    return [
        e.type
        for e in sorted(
            rows(runtime, IncidentEvent, IncidentEvent.incident_id == incident_id), key=lambda e: (e.at, e.id)
        )
    ]


def mutation_names(saleor) -> list[str]:
    return [m[0] for m in saleor.mutations]
