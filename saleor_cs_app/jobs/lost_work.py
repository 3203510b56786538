"""Work the queue lost is found in the database and handed to a worker again.

The database is the truth; the queue only wakes a worker up. A task a worker took from the queue is
gone if that worker dies (SIGKILL, out of memory, a node gone), and so is a task never queued because
the process died between its commit and the enqueue. Each kind of durable work below names its
unfinished rows, the column saying until when someone has one, and the task that continues it. One
rule for all, run by the sweep:

    an unfinished row whose hold ran out is queued again.

A row's hold is its lease when it has one (renewed by the worker carrying it out, jobs/lease_keeper.py;
set by a queued retry, or by this sweep, to the time that task is due plus its pickup time), else the
time it was last written plus its pickup time: how long a queued task may wait before it counts as lost.
Re-queuing moves a lease on by the pickup time, so such a row is queued once per pickup time, not at every
sweep. Every task is safe to run twice: it locks its row and checks the state it continues from, and a
step writing to Saleor looks up what an earlier attempt created (tags, codes, markers) before creating it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, case, or_, select, update
from sqlalchemy.orm import InstrumentedAttribute

from saleor_cs_app.jobs.incident_lease import LOST_WORKER
from saleor_cs_app.jobs.lease_keeper import PICKUP
from saleor_cs_app.notify import send
from saleor_cs_app.runtime import Runtime
from saleor_cs_app.store.models import Incident, OutboxMessage, WebhookDelivery
from saleor_cs_app.store.owed_models import OwedRemedy
from saleor_cs_app.store.tracking_models import TrackingRegistration

log = logging.getLogger(__name__)

# Rows with no retry time of their own: their first retries (10 s, 20 s, … backoff) fit in this.
SLOW_PICKUP = timedelta(minutes=5)
BATCH = 1000


@dataclass(frozen=True)
class Durable:
    what: str  # for the log
    task: str  # continues one row, given its id
    id: InstrumentedAttribute
    unfinished: object  # SQL condition
    written: InstrumentedAttribute  # last written, or when its queued task is due
    pickup: timedelta = PICKUP
    lease: InstrumentedAttribute | None = None
    holder: InstrumentedAttribute | None = None  # who renews the lease; None while it waits in the queue
    reason: InstrumentedAttribute | None = None  # where the merchant reads why the step was continued

    def lost(self, now: datetime):
        stale = self.written < now - self.pickup
        if self.lease is None:
            return and_(self.unfinished, stale)
        return and_(self.unfinished, or_(self.lease < now, and_(self.lease.is_(None), stale)))


DURABLE = (
    # detected: decided and carried out by one task; acting: approved, retried, or its worker died.
    Durable(
        "incident step",
        "handle_incident",
        Incident.id,
        Incident.state.in_(("detected", "acting")),
        Incident.updated_at,
        lease=Incident.lease_until,
        holder=Incident.lease_holder,
        reason=Incident.error,
    ),
    # pending: its send or retry is due; handing over: its sender died before the final dot (notify/send.py).
    Durable(
        "customer e-mail",
        "send_message",
        OutboxMessage.id,
        OutboxMessage.state.in_(("pending", send.HANDING_OVER)),
        OutboxMessage.next_attempt_at,
        pickup=send.TAKE_OVER_AFTER,
    ),
    # The note of a later e-mail: its writer's lease, or its retry's time (notify/order_trace.py).
    Durable(
        "order note",
        "send_message",
        OutboxMessage.id,
        OutboxMessage.note_due_at.is_not(None),
        OutboxMessage.note_due_at,
    ),
    Durable(
        "tracking registration",
        "register_tracking",
        TrackingRegistration.id,
        TrackingRegistration.state == "started",
        TrackingRegistration.updated_at,
        pickup=SLOW_PICKUP,
    ),
    # Never tried: the delivery pump takes it (a dead pump's transaction rolled back). Tried and failed: its
    # retry was on the queue.
    Durable(
        "webhook delivery",
        "process_delivery",
        WebhookDelivery.id,
        WebhookDelivery.state == "received",
        WebhookDelivery.received_at,
        pickup=SLOW_PICKUP,
    ),
    # A customer's choice for a lost or returned parcel (jobs/owed_flow.py): due, and not yet carried out.
    Durable(
        "owed goods",
        "carry_out_owed",
        OwedRemedy.id,
        OwedRemedy.state == "chosen",
        OwedRemedy.due_at,
        pickup=SLOW_PICKUP,
    ),
)


def requeue(runtime: Runtime) -> int:
    """Queue again every unfinished row whose hold ran out; returns how many."""
    queued = 0
    for kind in DURABLE:
        ids = _take(runtime, kind)
        if ids:
            log.warning("lost work queued again", extra={"work": kind.what, "count": len(ids)})
        for row_id in ids:
            runtime.jobs.enqueue(kind.task, row_id)
        queued += len(ids)
    return queued


def _take(runtime: Runtime, kind: Durable) -> list:
    with runtime.db.transaction() as session:
        now = runtime.clock()
        query = select(kind.id).where(kind.lost(now)).limit(BATCH)
        if kind.lease is None:
            return list(session.scalars(query))
        # A row a worker is claiming right now is skipped: its lease is about to be renewed.
        ids = list(session.scalars(query.with_for_update(skip_locked=True)))
        if ids:
            values = {kind.lease: now + kind.pickup, kind.holder: None}
            if kind.reason is not None:
                # A lease that ran out with a holder: that worker died (or stalled) mid-step.
                lost_holder = LOST_WORKER + " (" + kind.holder + ")"
                values[kind.reason] = case((kind.holder.is_not(None), lost_holder), else_=kind.reason)
            table = kind.id.class_
            session.execute(
                update(table).where(kind.id.in_(ids)).values(values).execution_options(synchronize_session=False)
            )
        return ids
