"""Task definitions, registered on a Huey instance for one Runtime.

Each task is thin: it opens the unit of work and calls one use-case. Retries
use exponential backoff; every task is safe to run twice.
"""

from __future__ import annotations

from types import SimpleNamespace

from huey import crontab
from huey.api import Huey
from huey.exceptions import RetryTask

from saleor_cs_app.runtime import Runtime


MAX_ATTEMPTS = 8


def backoff_seconds(attempt: int) -> int:
    """10 s, 20 s, 40 s … capped at 30 minutes."""
    return min(10 * 2 ** max(attempt - 1, 0), 1800)


def register_tasks(huey: Huey, runtime: Runtime) -> SimpleNamespace:
    from saleor_cs_app.jobs import deliveries, incidents_flow, sweep
    from saleor_cs_app.notify.send import send_outbox_message

    @huey.task(name="process_delivery")
    def process_delivery(delivery_id: int) -> None:
        attempt = deliveries.process(runtime, delivery_id)
        if attempt is not None and attempt < MAX_ATTEMPTS:
            raise RetryTask(delay=backoff_seconds(attempt))

    @huey.task(name="handle_incident")
    def handle_incident(incident_id: str) -> None:
        attempt = incidents_flow.handle(runtime, incident_id)
        if attempt is not None and attempt < MAX_ATTEMPTS:
            raise RetryTask(delay=backoff_seconds(attempt))

    @huey.task(name="send_message")
    def send_message(message_id: int) -> None:
        delay = send_outbox_message(runtime, message_id)
        if delay is not None:
            raise RetryTask(delay=delay)

    @huey.task(name="reconcile_tenant")
    def reconcile_tenant(tenant_id: int) -> None:
        sweep.reconcile(runtime, tenant_id)

    @huey.periodic_task(crontab(minute="*"), name="sweep_deadlines")
    def sweep_deadlines() -> None:
        sweep.run(runtime)

    @huey.periodic_task(crontab(minute="17", hour="3"), name="reconcile_all")
    def reconcile_all() -> None:
        for tenant_id in sweep.active_tenant_ids(runtime):
            reconcile_tenant(tenant_id)

    @huey.periodic_task(crontab(minute="*/10"), name="review_problems")
    def review_problems() -> None:
        from saleor_cs_app.problems.review import review_all

        review_all(runtime)

    return SimpleNamespace(
        process_delivery=process_delivery,
        handle_incident=handle_incident,
        send_message=send_message,
        reconcile_tenant=reconcile_tenant,
        sweep_deadlines=sweep_deadlines,
        review_problems=review_problems,
    )
