"""The database is the truth, the queue only wakes someone up: work whose task was lost (a worker killed
mid-step, a crash between a commit and its enqueue) is found by the sweep once its hold runs out, and
continued once. On the test clock; tests/test_crash_recovery.py kills real processes."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from saleor_cs_app.jobs import incident_lease, lost_work, sweep
from saleor_cs_app.jobs.lease_keeper import LEASE
from saleor_cs_app.jobs.tasks import MAX_ATTEMPTS
from saleor_cs_app.notify import send
from saleor_cs_app.store.models import Incident, OutboxMessage
from tests.flows import incidents, outbox, use_policy

VOUCHERS = {
    "version": 1,
    "rules": [{"name": "Late", "when": {"kinds": ["late_shipment"]}, "offer": {"free_shipping_voucher": {}}}],
}


def lose(runtime, monkeypatch, task_name: str) -> list:
    """Tasks of this name are lost as a killed worker loses the one it holds; returns what was lost."""
    queue, lost = runtime.jobs.enqueue, []
    monkeypatch.setattr(
        runtime.jobs, "enqueue", lambda name, *args: lost.append(args) if name == task_name else queue(name, *args)
    )
    return lost


def late_order_received(saleor, runtime, clock) -> dict:
    order = saleor.add_order(created=clock.now - timedelta(days=10))
    assert saleor.send_webhook("ORDER_CREATED", order_id=order["id"], issuedAt=order["created"]).status_code == 200
    runtime.jobs.drain()
    return order


def decided_incident_whose_task_was_lost(saleor, runtime, clock, monkeypatch) -> Incident:
    """A late order's incident, decided (`acting`) by a worker whose task then went with it."""
    from saleor_cs_app.jobs import incidents_flow

    use_policy(runtime, saleor, VOUCHERS)
    lose(runtime, monkeypatch, "handle_incident")
    late_order_received(saleor, runtime, clock)
    monkeypatch.undo()
    (incident,) = incidents(runtime)
    incidents_flow._decide(runtime, incident.id, {})
    return incident


def set_incident(runtime, **values) -> None:
    with runtime.db.transaction() as session:
        session.execute(update(Incident).values(**values))


def test_an_incident_whose_task_was_lost_is_continued_one_pickup_later(installed, runtime, clock, mail, monkeypatch):
    use_policy(runtime, installed, VOUCHERS)
    lost = lose(runtime, monkeypatch, "handle_incident")
    late_order_received(installed, runtime, clock)
    assert len(lost) == 1 and [i.state for i in incidents(runtime)] == ["detected"]
    monkeypatch.undo()

    assert lost_work.requeue(runtime) == 0, "a task queued a moment ago may still come"
    clock.advance(seconds=lost_work.PICKUP.total_seconds() + 1)
    sweep.run(runtime)
    runtime.jobs.drain()
    (incident,) = incidents(runtime)
    assert incident.state == "notified"
    assert len(installed.vouchers) == 1 and len(mail.messages) == 1
    assert lost_work.requeue(runtime) == 0, "nothing is left to continue"


def test_a_lease_being_renewed_is_left_alone_and_a_dead_holders_is_taken_over(
    installed, runtime, clock, mail, monkeypatch
):
    # A worker on another machine decided, took the lease, created the voucher, and was killed.
    incident = decided_incident_whose_task_was_lost(installed, runtime, clock, monkeypatch)
    incident_flow_until_voucher(runtime, incident.id)
    set_incident(runtime, lease_holder="worker-b:4242", lease_until=clock.now + LEASE)
    assert len(installed.vouchers) == 1

    clock.advance(seconds=LEASE.total_seconds() - 1)
    assert lost_work.requeue(runtime) == 0, "its holder may still be renewing it"
    clock.advance(seconds=2)
    assert lost_work.requeue(runtime) == 1
    assert incidents(runtime)[0].error == f"{incident_lease.LOST_WORKER} (worker-b:4242)"
    assert lost_work.requeue(runtime) == 0, "queued once, not at every sweep"
    runtime.jobs.drain()

    (incident,) = incidents(runtime)
    assert incident.state == "notified" and incident.lease_holder is None
    assert len(installed.vouchers) == 1, "the voucher the dead worker created was looked up, not made again"
    assert len(mail.messages) == 1 and len(installed.notes[incident.order_id]) == 1


def incident_flow_until_voucher(runtime, incident_id: str) -> None:
    """What the killed worker got done after the decision: its lease and the voucher in Saleor."""
    from saleor_cs_app.jobs import incidents_flow

    incident, tenant, facts = incident_lease.claim(runtime, incident_id)
    client = runtime.saleor_client(tenant)
    original = client.execute("GoodwillOrder", {"id": incident.order_id})["order"]
    incidents_flow.incident_goodwill(runtime, client, incident, original, facts)


def test_an_incident_whose_workers_keep_dying_fails_with_the_reason(installed, runtime, clock, mail, monkeypatch):
    decided_incident_whose_task_was_lost(installed, runtime, clock, monkeypatch)
    set_incident(runtime, lease_holder="worker-b:4242", lease_until=clock.now, attempts=MAX_ATTEMPTS)
    clock.advance(seconds=1)
    sweep.run(runtime)
    runtime.jobs.drain()
    (incident,) = incidents(runtime)
    assert incident.state == "failed", "never a silent `acting`"
    assert incident.error == f"{incident_lease.LOST_WORKER} (worker-b:4242)"
    assert mail.messages == [] and installed.vouchers == {}


def test_the_merchant_sees_incidents_that_keep_failing_to_continue_as_a_problem(installed, runtime, clock, monkeypatch):
    from saleor_cs_app.problems.review import review

    tenant_id = decided_incident_whose_task_was_lost(installed, runtime, clock, monkeypatch).tenant_id
    set_incident(runtime, lease_holder="worker-b:4242", lease_until=clock.now, attempts=1)
    clock.advance(seconds=1)
    lost_work.requeue(runtime)  # lost once: continued, nothing to tell the merchant yet
    assert [p.key for p in review(runtime, tenant_id)] == []
    set_incident(runtime, lease_holder="worker-c:77", lease_until=clock.now, attempts=2)
    clock.advance(seconds=1)
    lost_work.requeue(runtime)  # lost again
    (problem,) = review(runtime, tenant_id)
    assert problem.key == "incidents-not-continuing"
    assert problem.message.startswith("1 incident(s) keep failing to continue")
    assert f"{incident_lease.LOST_WORKER} (worker-c:77)" in problem.message


def test_a_sender_that_died_before_the_final_dot_is_taken_over_and_sends_once(
    installed, runtime, clock, mail, monkeypatch
):
    lost = lose(runtime, monkeypatch, "send_message")
    late_order_received(installed, runtime, clock)
    monkeypatch.undo()
    (row,) = outbox(runtime)
    with runtime.db.transaction() as session:  # the killed sender's last commit
        session.execute(update(OutboxMessage).values(state=send.HANDING_OVER, attempts=1, next_attempt_at=clock.now))
    assert lost and mail.messages == []

    clock.advance(seconds=send.TAKE_OVER_AFTER.total_seconds() - 1)
    assert send.send_outbox_message(runtime, row.id) is None and mail.messages == [], "a live sender may be talking"
    clock.advance(seconds=2)
    assert lost_work.requeue(runtime) == 1
    runtime.jobs.drain()
    assert [r.state for r in outbox(runtime)] == ["sent"] and len(mail.messages) == 1
    assert incidents(runtime)[0].state == "notified"


def test_a_slow_sender_taken_over_stops_before_the_final_dot(installed, runtime, clock, mail, monkeypatch):
    lose(runtime, monkeypatch, "send_message")
    late_order_received(installed, runtime, clock)
    monkeypatch.undo()
    (row,) = outbox(runtime)
    real_send = send.SmtpSender.send

    def taken_over_meanwhile(self, email, **options):
        with runtime.db.transaction() as session:  # another attempt took the message over
            session.execute(update(OutboxMessage).values(attempts=OutboxMessage.attempts + 1))
        return real_send(self, email, **options)

    monkeypatch.setattr(send.SmtpSender, "send", taken_over_meanwhile)
    assert send.send_outbox_message(runtime, row.id) is None
    assert mail.messages == [], "the server got no final dot, so no message"
    (row,) = outbox(runtime)
    assert row.state == send.HANDING_OVER and row.attempts == 2, "left to the attempt that took it over"
