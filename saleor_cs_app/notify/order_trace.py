"""Every e-mail the customer gets leaves a note on the order in Saleor, so staff reading the order's
timeline see what the shop told the customer.

The first message of an incident is noted by the incident flow together with the goodwill; this
covers every later one (the "it has shipped now" follow-up, the answers to a customer's report).
Exactly once: the note carries a marker naming the incident and the message, and a retry (Saleor
down, or its answer lost after the note was added) first looks for that marker on the order.
Nothing lost: the outbox row says from when the note is owed (`note_due_at`, set in the
transaction that records the send), a writer takes it for a lease, and the sweep takes up a
note still owed long after its time, as when the process died between the send and the note.
"""

from __future__ import annotations

import logging
import math
from datetime import datetime, timedelta

from sqlalchemy import func, select

from saleor_cs_app.goodwill.order_note import add_note_once
from saleor_cs_app.runtime import Runtime
from saleor_cs_app.saleor.client import SaleorError, SaleorUnavailable
from saleor_cs_app.store import incidents
from saleor_cs_app.store.models import Incident, IncidentEvent, OutboxMessage, Tenant

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
NOTED_BY_INCIDENT_FLOW = "initial"  # that note (goodwill + what was said) is written before sending
LEASE = timedelta(minutes=10)  # far longer than two Saleor calls; then another writer may take the note


# Timeline events reuse the types the dashboard already names; the message says which e-mail.
NOTE_SETTLED = "order_note"
NOTE_WAITS = "retrying"


def owe_note(row: OutboxMessage, now: datetime) -> None:
    """The message was sent (or written in a dry run): its order note is owed from now on."""
    if row.purpose != NOTED_BY_INCIDENT_FLOW:
        row.note_due_at = now


def note_sent_message(runtime: Runtime, message_id: int) -> int | None:
    """Note the sent message on its order once; returns seconds to wait before retrying, or None."""
    with runtime.db.transaction() as session:
        row = session.scalar(select(OutboxMessage).where(OutboxMessage.id == message_id).with_for_update())
        if row is None or row.note_due_at is None:
            return None
        now = runtime.clock()
        if row.note_due_at > now:  # another writer holds it, or its retry is not due yet
            return math.ceil((row.note_due_at - now).total_seconds())
        row.note_due_at = now + LEASE
        incident = session.get_one(Incident, row.incident_id)
        about = f"Order note for the {row.purpose} e-mail"
        deferred = _times_deferred(session, incident, about)
        tenant = session.get_one(Tenant, row.tenant_id)
        session.expunge(tenant)
        incident_id, order_id, purpose, text = incident.id, incident.order_id, row.purpose, _note_text(row)
    try:
        client = runtime.saleor_client(tenant)
        original = client.execute("GoodwillOrder", {"id": order_id}).get("order")
        if original is not None:
            add_note_once(client, original=original, incident_id=incident_id, message=text, about=f"e-mail {purpose}")
    except SaleorUnavailable as exc:
        if deferred + 1 >= MAX_ATTEMPTS:
            _record(runtime, message_id, NOTE_SETTLED, f"{about}: not written after {MAX_ATTEMPTS} tries ({exc})")
            return None
        delay = min(30 * 2**deferred, 1800)
        _record(runtime, message_id, NOTE_WAITS, f"{about} waits: {exc}", retry_in=delay)
        return delay
    except SaleorError as exc:
        log.info("order note refused", extra={"incident": incident_id, "error": type(exc).__name__})
        _record(runtime, message_id, NOTE_SETTLED, f"{about}: Saleor refused it ({exc})")
        return None
    if original is None:
        _record(runtime, message_id, NOTE_SETTLED, f"{about}: not written, the order is no longer visible to the app")
    else:
        _record(runtime, message_id, NOTE_SETTLED, f"{about}: written in Saleor")
    return None


def _note_text(row: OutboxMessage) -> str:
    quoted = f"\u201c{row.subject}\u201d"
    if row.state == "dry_run":
        return f"Customer care: e-mail to the customer written but not sent (dry run, no SMTP server): {quoted}."
    return f"Customer care: e-mailed the customer ({row.language}): {quoted}."


def _times_deferred(session, incident: Incident, about: str) -> int:
    """How often writing this note was put off (Saleor unavailable)."""
    return session.scalar(
        select(func.count()).where(
            IncidentEvent.tenant_id == incident.tenant_id,
            IncidentEvent.incident_id == incident.id,
            IncidentEvent.type == NOTE_WAITS,
            IncidentEvent.message.startswith(about, autoescape=True),
        )
    )


def _record(runtime: Runtime, message_id: int, type_: str, message: str, *, retry_in: int | None = None) -> None:
    """The outcome on the incident's timeline and, with it, whether (and from when) the note is still owed."""
    with runtime.db.transaction() as session:
        row = session.get_one(OutboxMessage, message_id, with_for_update=True, populate_existing=True)
        now = runtime.clock()
        row.note_due_at = None if retry_in is None else now + timedelta(seconds=retry_in)
        incident = session.get_one(Incident, row.incident_id)
        incidents.add_event(session, incident, now, type_, message)
