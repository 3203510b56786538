"""The support conversation's e-mails (CONTRACTS.md situations), written to the outbox like any message:
one row per incident and purpose, so a retried step never writes to the customer twice."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from saleor_cs_app.care.policy import Policy
from saleor_cs_app.notify import outbox
from saleor_cs_app.notify.language import pick_language
from saleor_cs_app.notify.render import render_situation
from saleor_cs_app.settings import Settings
from saleor_cs_app.store.models import Incident, OutboxMessage, TrackedOrder


def queue_situation(
    session: Session,
    incident: Incident,
    tracked: TrackedOrder,
    policy: Policy,
    settings: Settings,
    *,
    situation: str,
    purpose: str,
    variables: dict,
    now: datetime,
) -> OutboxMessage | None:
    """Render and queue the message; None when the order has no address or it was queued before."""
    email = tracked.facts.get("customer_email")
    if not email:
        return None
    exists = session.scalar(
        select(OutboxMessage.id).where(OutboxMessage.incident_id == incident.id, OutboxMessage.purpose == purpose)
    )
    if exists is not None:
        return None
    _, reply_to = outbox.sender(policy, settings)
    brand = outbox.brand_of(session, policy, settings, incident.tenant_id)
    common = {
        "shop_name": brand.name,
        "brand_accent": brand.accent,
        "brand_logo_url": outbox.brand_logo_url(settings, brand),
        "order_number": tracked.number,
        "customer_first_name": tracked.facts.get("customer_first_name"),
        "reply_to": reply_to,
        "currency": tracked.facts.get("currency") or "USD",
    }
    # The same choice as every message: the order's language, then the channel's country, then English.
    language = pick_language(tracked.facts.get("language_code"), tracked.facts.get("channel_country"))
    rendered = render_situation(situation, language, {**common, **variables})
    mail_from, _ = outbox.sender(policy, settings)
    row = outbox._new_row(incident, purpose, rendered.language, mail_from, email, now)
    row.subject, row.text, row.html = rendered.subject, rendered.text, rendered.html
    row.state = "pending"
    session.add(row)
    session.flush()
    return row
