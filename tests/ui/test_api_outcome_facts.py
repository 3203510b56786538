"""The rest of an incident's timeline as parts the page words itself: nobody to write to, the language the
e-mail fell back to, a backlog order dismissed or released, an incident or its e-mail that failed, and an
e-mail that may have arrived. Each is written by the real writer, then read through the API."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from saleor_cs_app.store.models import Tenant
from tests.flows import incidents, late_order

TIMELINE = """query($id: ID!) { incident(id: $id) {
  timeline { type facts { code by note orderLanguage language } } } }"""
FIELDS = ("code", "by", "note", "orderLanguage", "language")


def facts_of(api, incident_id: str, event_type: str) -> tuple:
    (entry,) = [e for e in api(TIMELINE, {"id": incident_id})["incident"]["timeline"] if e["type"] == event_type]
    return tuple((entry["facts"] or {}).get(f) for f in FIELDS)


def late_incident(installed, runtime, clock, **order_fields) -> str:
    """The incident of a late order, handled."""
    late_order(installed, runtime, clock, **order_fields)
    (incident,) = incidents(runtime)
    return incident.id


def test_an_order_without_an_address_and_one_in_a_language_not_shipped_come_as_codes(api, installed, runtime, clock):
    incident = late_incident(installed, runtime, clock, userEmail=None)
    assert facts_of(api, incident, "no_email") == ("no_email", None, None, None, None)


def test_the_language_an_email_fell_back_to_comes_with_the_orders_own(api, installed, runtime, clock, mail):
    incident = late_incident(installed, runtime, clock, channel="channel-pln", languageCodeEnum="NB_NO")
    assert facts_of(api, incident, "language_fallback") == ("language_fallback", None, None, "NB_NO", "pl")


def test_who_dismissed_a_backlog_order_and_why_and_who_released_the_rest(api, installed, runtime, clock):
    with runtime.db.transaction() as session:  # the app is installed now; these orders broke before
        session.scalar(select(Tenant)).installed_at = clock.now + timedelta(minutes=1)
    for _ in range(2):
        installed.add_order(created=clock.now - timedelta(days=10))
    runtime.jobs.enqueue("reconcile_tenant", 1)
    runtime.jobs.drain()
    first, second = (i.id for i in incidents(runtime))
    api('mutation D($id: ID!) { dismissIncident(id: $id, reason: "pre-order") }', {"id": first})
    api("mutation { releaseBacklog }")
    staff = "staff@example.com"
    assert facts_of(api, first, "dismissed") == ("dismissed", staff, "pre-order", None, None)
    assert facts_of(api, second, "released") == ("released", staff, None, None, None)


def test_an_incident_the_app_gave_up_on_comes_with_its_reason(api, installed, runtime, clock):
    installed.fail_next("orderNoteAdd", times=1, status=403)  # Saleor refuses the note: no retry helps
    incident = late_incident(installed, runtime, clock)
    code, _, note, *_ = facts_of(api, incident, "failed")
    assert (code, note) == ("failed", "OrderNoteAdd: Saleor answered HTTP 403")


def test_an_email_the_mail_server_refused_comes_with_its_reply(api, installed, runtime, clock, mail):
    mail.reject_recipient("customer@example.com", reply="550 5.1.1 No such user")
    refused = late_incident(installed, runtime, clock, userEmail="customer@example.com")
    code, _, note, *_ = facts_of(api, refused, "email_failed")
    assert code == "email_failed" and "550" in note


def test_an_email_whose_connection_dropped_after_the_body_may_have_arrived(api, installed, runtime, clock, mail):
    mail.hang_up_on("DATA")
    incident = late_incident(installed, runtime, clock)
    code, _, note, *_ = facts_of(api, incident, "email_failed")
    assert code == "email_uncertain" and note, "the reason is kept"
    assert len(mail.messages) == 1, "the body arrived, and it is not sent a second time"
