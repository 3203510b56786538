"""Every e-mail the customer gets leaves a note on the order in Saleor, so staff reading the order's
timeline see what the shop told the customer.

The first message of an incident is noted by the incident flow together with the goodwill; this
covers every later one (the "it has shipped now" follow-up, the answers to a customer's report).
Exactly once: the note carries a marker naming the incident and the message, and a retry (Saleor
down, or its answer lost after the note was added) first looks for that marker on the order.
"""

from __future__ import annotations

import logging

from sqlalchemy import select

from saleor_cs_app.goodwill.order_note import add_note_once
from saleor_cs_app.runtime import Runtime
from saleor_cs_app.saleor.client import SaleorError, SaleorUnavailable
from saleor_cs_app.store import incidents
from saleor_cs_app.store.models import Incident, IncidentEvent, OutboxMessage, Tenant

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
NOTED_BY_INCIDENT_FLOW = "initial"  # that note (goodwill + what was said) is written before sending


# Timeline events reuse the types the dashboard already names; the message says which e-mail.
NOTE_SETTLED = "order_note"
NOTE_WAITS = "retrying"


def note_sent_message(runtime: Runtime, message_id: int) -> int | None:
    """Note the sent message on its order once; returns seconds to wait before retrying, or None."""
    with runtime.db.read() as session:
        row = session.get(OutboxMessage, message_id)
        if row is None or row.state not in ("sent", "dry_run") or row.purpose == NOTED_BY_INCIDENT_FLOW:
            return None
        incident = session.get_one(Incident, row.incident_id)
        about = f"Order note for the {row.purpose} e-mail"
        settled, deferred = _progress(session, incident, about)
        if settled:
            return None
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
            _record(runtime, incident_id, NOTE_SETTLED, f"{about}: not written after {MAX_ATTEMPTS} tries ({exc})")
            return None
        _record(runtime, incident_id, NOTE_WAITS, f"{about} waits: {exc}")
        return min(30 * 2**deferred, 1800)
    except SaleorError as exc:
        log.info("order note refused", extra={"incident": incident_id, "error": type(exc).__name__})
        _record(runtime, incident_id, NOTE_SETTLED, f"{about}: Saleor refused it ({exc})")
        return None
    if original is None:
        _record(runtime, incident_id, NOTE_SETTLED, f"{about}: not written, the order is no longer visible to the app")
    else:
        _record(runtime, incident_id, NOTE_SETTLED, f"{about}: written in Saleor")
    return None


def _note_text(row: OutboxMessage) -> str:
    quoted = f"\u201c{row.subject}\u201d"
    if row.state == "dry_run":
        return f"Customer care: e-mail to the customer written but not sent (dry run, no SMTP server): {quoted}."
    return f"Customer care: e-mailed the customer ({row.language}): {quoted}."


def _progress(session, incident: Incident, about: str) -> tuple[bool, int]:
    """Whether the note is written (or given up on), and how often writing it was put off."""
    events = session.execute(
        select(IncidentEvent.type).where(
            IncidentEvent.tenant_id == incident.tenant_id,
            IncidentEvent.incident_id == incident.id,
            IncidentEvent.type.in_((NOTE_SETTLED, NOTE_WAITS)),
            IncidentEvent.message.startswith(about, autoescape=True),
        )
    ).scalars()
    types = list(events)
    return NOTE_SETTLED in types, types.count(NOTE_WAITS)


def _record(runtime: Runtime, incident_id: str, type_: str, message: str) -> None:
    with runtime.db.transaction() as session:
        incident = session.get_one(Incident, incident_id)
        incidents.add_event(session, incident, runtime.clock(), type_, message)
