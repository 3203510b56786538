"""The support conversation's e-mails (CONTRACTS.md situations), written to the outbox like any message:
one row per incident and purpose, so a retried step never writes to the customer twice."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from saleor_cs_app.care.policy import Policy
from saleor_cs_app.notify import outbox
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
    common = {
        "shop_name": outbox._shop_name(policy, settings),
        "order_number": tracked.number,
        "customer_first_name": tracked.facts.get("customer_first_name"),
        "reply_to": reply_to,
        "currency": tracked.facts.get("currency") or "USD",
    }
    rendered = _render(situation, tracked.facts.get("language_code") or "en", {**common, **variables})
    mail_from, _ = outbox.sender(policy, settings)
    row = outbox._new_row(incident, purpose, rendered.language, mail_from, email, now)
    row.subject, row.text, row.html = rendered.subject, rendered.text, rendered.html
    row.state = "pending"
    session.add(row)
    session.flush()
    return row


def _render(situation: str, language: str, variables: dict):
    from saleor_cs_app.notify import render

    if hasattr(render, "render_situation"):
        return render.render_situation(situation, language, variables)
    return _plain_situation(situation, language, variables)  # until the messages' situations land


def _plain_situation(situation: str, language: str, variables: dict):
    """One sentence per situation, from the support page's own strings, in the page's language."""
    from markupsafe import escape

    from saleor_cs_app.notify.render import RenderedMessage
    from saleor_cs_app.support.i18n import Translator, page_language

    t = Translator(page_language(language, None))
    fix = t(f"fix_{variables.get('resolution') or 'shop_decides'}")
    offer = variables.get("resolution_amount") or variables.get("resolution_percent") or fix
    key = f"mail_{situation}"
    if situation == "request_answered":
        key = "mail_request_approved" if variables.get("approved") else "mail_request_declined"
    sentence = t(key, number=variables["order_number"], url=variables.get("support_url") or "", fix=fix, offer=offer)
    subject = f"{variables['shop_name']}: {t('title', number=variables['order_number'])}"
    url = variables.get("support_url")
    link = f'<p><a href="{escape(url)}">{escape(url)}</a></p>' if url else ""
    html = f"<p>{escape(sentence)}</p>{link}"
    return RenderedMessage(subject=subject, text=sentence + "\n", html=html, language=t.language)
