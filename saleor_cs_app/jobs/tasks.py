"""Task definitions, registered on a Huey instance for one Runtime.

Each task is thin: it opens the unit of work and calls one use-case. Retries
use exponential backoff; every task is safe to run twice.
"""

from __future__ import annotations

from types import SimpleNamespace

from huey import crontab
from huey.api import Huey
from huey.exceptions import RetryTask

from saleor_cs_app.jobs.retries import MAX_ATTEMPTS, backoff_seconds
from saleor_cs_app.runtime import Runtime


def register_tasks(huey: Huey, runtime: Runtime) -> SimpleNamespace:
    from saleor_cs_app.jobs import deliveries, incidents_flow, proposals_flow, sweep
    from saleor_cs_app.notify.send import send_outbox_message

    @huey.task(name="process_delivery")
    def process_delivery(delivery_id: int) -> None:
        attempt = deliveries.process(runtime, delivery_id)
        if attempt is not None and attempt < MAX_ATTEMPTS:
            raise RetryTask(delay=backoff_seconds(attempt))

    @huey.task(name="handle_incident")
    def handle_incident(incident_id: str) -> None:
        flow = proposals_flow if proposals_flow.is_customer_report(runtime, incident_id) else incidents_flow
        attempt = flow.handle(runtime, incident_id)
        if attempt is not None and attempt < MAX_ATTEMPTS:
            raise RetryTask(delay=backoff_seconds(attempt))

    @huey.task(name="carry_out_owed")
    def carry_out_owed(remedy_id: str) -> None:
        from saleor_cs_app.jobs import owed_flow

        attempt = owed_flow.carry_out(runtime, remedy_id)
        if attempt is not None and attempt < MAX_ATTEMPTS:
            raise RetryTask(delay=backoff_seconds(attempt))

    @huey.task(name="send_message")
    def send_message(message_id: int) -> None:
        delay = send_outbox_message(runtime, message_id)
        if delay is not None:
            raise RetryTask(delay=delay)

    @huey.task(name="register_tracking")
    def register_tracking(registration_id: int) -> None:
        from saleor_cs_app.tracking.aftership.registration import register

        delay = register(runtime, registration_id)
        if delay is not None:
            raise RetryTask(delay=delay)

    @huey.task(name="write_delivery_state")
    def write_delivery_state(delivery_id: int) -> None:
        from saleor_cs_app.tracking.write_back import write

        if write(runtime, delivery_id):
            raise RetryTask(delay=60)

    @huey.task(name="reconcile_tenant")
    def reconcile_tenant(tenant_id: int) -> None:
        sweep.reconcile(runtime, tenant_id)

    @huey.task(name="open_due")
    def open_due() -> None:
        sweep.open_due(runtime)  # rung by jobs/deadline_alarm.py the moment a deadline passes

    @huey.periodic_task(crontab(minute="*"), name="sweep_deadlines")
    def sweep_deadlines() -> None:
        sweep.run(runtime)

    @huey.periodic_task(crontab(minute="17", hour="3"), name="reconcile_all")
    def reconcile_all() -> None:
        for tenant_id in sweep.active_tenant_ids(runtime):
            reconcile_tenant(tenant_id)

    @huey.periodic_task(crontab(minute="41", hour="4"), name="count_returns")
    def count_returns() -> None:
        from saleor_cs_app.jobs.returns_count import count_all

        count_all(runtime)

    @huey.periodic_task(crontab(minute="*/10"), name="review_problems")
    def review_problems() -> None:
        from saleor_cs_app.problems.review import review_all

        review_all(runtime)

    return SimpleNamespace(
        process_delivery=process_delivery,
        handle_incident=handle_incident,
        carry_out_owed=carry_out_owed,
        send_message=send_message,
        register_tracking=register_tracking,
        write_delivery_state=write_delivery_state,
        reconcile_tenant=reconcile_tenant,
        open_due=open_due,
        sweep_deadlines=sweep_deadlines,
        review_problems=review_problems,
        count_returns=count_returns,
    )
