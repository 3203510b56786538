"""Sending one outbox message: pending → handing_over → sending → sent, exactly once.

The row is marked `handing_over` (committed, with its attempt number) before the SMTP conversation, and
`sending` just before the final dot of DATA, the moment the server may take the message. A sender that
dies before that dot delivered nothing: its message is taken over (jobs/lost_work.py re-queues it) and
sent by the next attempt; the dot is only written by the attempt whose number still stands, so a sender
that was merely slow cannot send a second copy. A sender that dies after the dot leaves a row in
`sending`: nobody can know whether the server accepted it, so the sweep marks it `uncertain` for the
merchant instead of sending a second copy. Temporary failures go back to `pending` with backoff;
permanent ones (5xx to RCPT/DATA, invalid address) end as `failed`.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from urllib.parse import urlsplit

from sqlalchemy import select, update

from saleor_cs_app.notify.addressing import addressing
from saleor_cs_app.notify.order_trace import note_sent_message, owe_note
from saleor_cs_app.notify.smtp import Email, PermanentFailure, SmtpSender, TemporaryFailure
from saleor_cs_app.runtime import Runtime
from saleor_cs_app.saleor.admission import admit
from saleor_cs_app.store import incidents
from saleor_cs_app.settings import SmtpSettings, parse_smtp_url
from saleor_cs_app.store.models import Incident, OutboxMessage, Tenant

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
# `sending` lasts from just before the final dot to the recorded reply: the reply waits 30 s at most
# (SmtpSender), so a row still sending after this was left by a sender that died.
SENDING_TIMEOUT = timedelta(minutes=2)
HANDING_OVER = "handing_over"
# A conversation up to the final dot takes milliseconds to a local server, a second or two to a far one;
# a row still handing over after this is taken over (a sender merely slow is fenced off at its final dot).
TAKE_OVER_AFTER = timedelta(seconds=30)


class Superseded(Exception):
    """Another attempt took the message over while this one talked to the server."""
# How an e-mail that may have arrived is told (the sender never sends it again); ui/event_facts.py reads them.
MAYBE_DELIVERED = "Maybe delivered, not re-sent: "
STOPPED_MID_CONVERSATION = "The sender stopped mid-conversation; not re-sent to avoid a duplicate. Check the mail log."
NOT_ADMITTED = (
    "Not sent: the app's operator no longer serves this Saleor (ALLOWED_SALEOR_URLS). "
    "Set your own mail server on the Messages tab, or ask the operator to allow your Saleor API URL."
)


def retry_delay(attempt: int) -> int:
    return min(15 * 2 ** max(attempt - 1, 0), 3600)


def send_outbox_message(runtime: Runtime, message_id: int) -> int | None:
    """Returns seconds to wait before the next try, or None when the message is settled and noted."""
    delay = _send(runtime, message_id)
    if delay is not None:
        return delay
    return note_sent_message(runtime, message_id)


def _send(runtime: Runtime, message_id: int) -> int | None:
    with runtime.db.transaction() as session:
        row = session.scalar(select(OutboxMessage).where(OutboxMessage.id == message_id).with_for_update())
        if row is None or row.state not in ("pending", HANDING_OVER):
            return None
        now = runtime.clock()
        if row.state == HANDING_OVER and row.next_attempt_at > now - TAKE_OVER_AFTER:
            return None  # a sender is talking to the server now
        if row.next_attempt_at > now:
            return int((row.next_attempt_at - now).total_seconds()) + 1
        row.attempts += 1
        tenant = session.get_one(Tenant, row.tenant_id)
        server = mail_server_for(runtime, tenant)
        if server is None:
            row.state, row.sent_at = "dry_run", now
            owe_note(row, now)
            _settle_incident(session, row, now, "Dry run (SMTP_URL unset): message written to the outbox and the log")
            log.info("dry-run e-mail", extra={"incident": row.incident_id, "subject": row.subject, "to": row.mail_to})
            return None
        own_server = tenant.mail_server_ciphertext is not None
        if not own_server and not _admitted(runtime, tenant):
            # Installed before the operator narrowed ALLOWED_SALEOR_URLS (or before it was closed by
            # default): the operator's server no longer carries this Saleor's mail.
            row.state, row.error = "failed", NOT_ADMITTED
            _settle_incident(session, row, now, NOT_ADMITTED, failed=True)
            return None
        # From here next_attempt_at says when this attempt began; a long-pending row must not look stuck.
        row.state, row.next_attempt_at = HANDING_OVER, now
        # Decided here, beside the server choice, so a shop that removed its own server since the
        # message was composed cannot send from its own address through the operator's.
        who = addressing(row.mail_from, runtime.settings.mail_from, own_server=own_server)
        email = Email(
            mail_from=who.mail_from,
            mail_to=row.mail_to,
            subject=row.subject,
            text=row.text,
            html=row.html,
            message_id=row.message_id,
            date=runtime.clock(),
            reply_to=who.reply_to,
        )
        attempt = row.attempts
    try:
        # EHLO with our public host name; smtplib would otherwise look up this machine's FQDN.
        sender = SmtpSender(server, local_hostname=urlsplit(runtime.settings.app_url).hostname)
        sender.send(email, before_final_dot=lambda: _last_step(runtime, message_id, attempt))
    except Superseded:
        return None
    except TemporaryFailure as exc:
        if exc.maybe_delivered:
            # The connection dropped after the whole message went out: the server
            # may have it. A second copy is worse than asking the merchant to check.
            _finish(runtime, message_id, attempt, "uncertain", f"{MAYBE_DELIVERED}{exc}")
            return None
        return _back_to_pending(runtime, message_id, attempt, str(exc))
    except PermanentFailure as exc:
        _finish(runtime, message_id, attempt, "failed", f"The mail server refused the message: {exc}")
        return None
    _finish(runtime, message_id, attempt, "sent", None)
    return None


def _last_step(runtime: Runtime, message_id: int, attempt: int) -> None:
    """Before the final dot: from here the server may have the message, so the row says `sending`.
    Only the attempt that still holds the message gets here; one taken over stops without the dot."""
    with runtime.db.transaction() as session:
        taken = session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.attempts == attempt)
            .where(OutboxMessage.state == HANDING_OVER)
            .values(state="sending", next_attempt_at=runtime.clock())
            .execution_options(synchronize_session=False)
        )
        if taken.rowcount != 1:
            raise Superseded()


def _admitted(runtime: Runtime, tenant: Tenant) -> bool:
    settings = runtime.settings
    return admit(settings.allowed_saleor_urls, settings.app_url, tenant.saleor_api_url).allowed


def mail_server_for(runtime: Runtime, tenant: Tenant) -> SmtpSettings | None:
    """The merchant's own server when they set one, else the operator's SMTP_URL (None: dry run)."""
    if tenant.mail_server_ciphertext is not None:
        return parse_smtp_url(runtime.cipher.decrypt(tenant.mail_server_ciphertext), name="mail server")
    return runtime.settings.smtp


def _back_to_pending(runtime: Runtime, message_id: int, attempt: int, error: str) -> int | None:
    with runtime.db.transaction() as session:
        row = session.get_one(OutboxMessage, message_id, with_for_update=True, populate_existing=True)
        if row.attempts != attempt:
            return None  # taken over meanwhile: the later attempt settles it
        row.error = error
        if attempt >= MAX_ATTEMPTS:
            row.state = "failed"
            _settle_incident(
                session, row, runtime.clock(), f"E-mail not sent after {attempt} tries: {error}", failed=True
            )
            return None
        delay = retry_delay(attempt)
        row.state, row.next_attempt_at = "pending", runtime.clock() + timedelta(seconds=delay)
        log.info("e-mail deferred", extra={"outbox": message_id, "attempt": attempt, "delay": delay})
        return delay


def _finish(runtime: Runtime, message_id: int, attempt: int, state: str, error: str | None) -> None:
    with runtime.db.transaction() as session:
        row = session.get_one(OutboxMessage, message_id, with_for_update=True, populate_existing=True)
        if row.attempts != attempt:
            return  # taken over before its final dot: nothing of this attempt was delivered
        now = runtime.clock()
        row.state, row.error = state, error
        if state == "sent":
            row.sent_at = now
            owe_note(row, now)
            _settle_incident(session, row, now, f"E-mailed the customer ({row.language}), Message-ID {row.message_id}")
        else:
            _settle_incident(session, row, now, error or "E-mail failed", failed=True)


def _settle_incident(session, row: OutboxMessage, now, message: str, *, failed: bool = False) -> None:
    incident = session.get(Incident, row.incident_id, with_for_update=True, populate_existing=True)
    if incident is None:
        return
    incidents.add_event(session, incident, now, "email_failed" if failed else f"emailed_{row.purpose}", message)
    if row.purpose == "initial":
        incident.state = "failed" if failed else "notified"
        if failed:
            incident.error = message


def mark_uncertain_sends(runtime: Runtime) -> int:
    """Rows stuck in `sending` (the process died mid-conversation) are never sent again."""
    with runtime.db.transaction() as session:
        now = runtime.clock()
        stuck = session.scalars(
            select(OutboxMessage).where(OutboxMessage.state == "sending").with_for_update(skip_locked=True)
        ).all()
        count = 0
        for row in stuck:
            if row.next_attempt_at + SENDING_TIMEOUT > now:
                continue
            row.state = "uncertain"
            row.error = STOPPED_MID_CONVERSATION
            _settle_incident(session, row, now, row.error, failed=True)
            count += 1
        return count
