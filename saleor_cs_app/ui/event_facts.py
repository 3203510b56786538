"""Timeline entries as facts the page words in the dashboard's language.

The writers (support/reports.py, watch/staff_report.py, jobs/incidents_flow.py, jobs/proposals_flow.py) store
one English line per event, which is what the order note and the logs read. The page needs the parts instead:
who reported, what they said, what was created in Saleor. Those come from the incident's own facts and
decision; only the staff member's address (and a decline's reason) is in the line alone ("Reported by {by}:
…"), so it is read from there.
tests/ui/test_api_event_facts.py and tests/support/test_answers.py drive the real writers, so a change of their
wording fails there.
"""

from __future__ import annotations

import re

import strawberry

from saleor_cs_app.notify.outbox import NO_EMAIL
from saleor_cs_app.notify.send import MAYBE_DELIVERED, STOPPED_MID_CONVERSATION

STAFF_PREFIX = "Reported by "
APPROVED_PREFIX = "Approved by "  # jobs/incidents_flow.py approve()
DECLINED = re.compile(r"^declined by (?P<by>.+?)(?:: (?P<reason>.*))? → apology only$", re.S)  # decline()
# notify/order_trace.py, noting a later e-mail on the order: "Order note for the shipped e-mail: written in
# Saleor", "… e-mail waits: <why>", "…: Saleor refused it (<why>)", "…: not written after 8 tries (<why>)",
# "…: not written, the order is no longer visible to the app". The page must not call all of them written.
_MESSAGE_NOTE = re.compile(
    r"^Order note for the \S+ e-mail(?:"
    r"(?P<written>: written in Saleor)"
    r"| waits: (?P<waits>.*)"
    r"|: (?:Saleor refused it|not written after \d+ tries) \((?P<not_written>.*)\)"
    r"|(?P<gone>: not written, the order is no longer visible to the app))$",
    re.S,
)
PROPOSAL_NOTE = "Order note written in Saleor"  # jobs/proposals_flow.py
# jobs/proposals_flow.py, the answers to a customer's proposed fix: who said yes (the policy, a staff member
# for a fix or a request, the customer to a counter-offer), what a counter-offer was, who declined and why,
# and why a proposal came back to the merchant.
_ACCEPTED_BY = re.compile(r"^(?:Accepted|Approved) by (?P<by>.+)$", re.S)
_ACCEPTED = {
    "Accepted by the policy": "proposal_accepted.policy",
    "The customer accepted the counter-offer": "proposal_accepted.customer",
}
_COUNTERED = re.compile(r"^(?P<by>.+) offered (?P<currency>[A-Z]{3}) (?P<amount>-?\d+(?:\.\d+)?)$", re.S)
_PROPOSAL_DECLINED = re.compile(r"^declined by (?P<by>.+?)(?:: (?P<reason>.*))?$", re.S)
_BACK_TO_MERCHANT = {"The customer declined the counter-offer": "pending_approval.counter_declined"}
_COUNTER_OVER_LIMITS = "The customer accepted, but "
# The rest of what can happen to an incident (jobs/backlog.py, jobs/incident_lease.py, notify/).
_DISMISSED = re.compile(r"^Dismissed by (?P<by>.+?)(?:: (?P<reason>.*))?; the customer is not contacted$", re.S)
_RELEASED = re.compile(r"^Released from the install backlog by (?P<by>.+)$", re.S)
_LANGUAGE_FALLBACK = re.compile(r"^No messages in the order's language (?P<wanted>[A-Z_]+): written in (?P<used>[a-z]+), ")
# carry_out.py: "replacement order #1042 (Blue shirt M) sent free of charge" — the new order's number is only there.
_ORDER_NUMBER = re.compile(r"order #(\S+)")


@strawberry.type
class EventFacts:
    code: str = strawberry.field(
        description="reported.customer | reported.request | reported.staff | approved | declined | goodwill_created"
        " | order_note (note and metadata of the incident) | order_note.written | order_note.waits"
        " | order_note.not_written | order_note.order_gone | proposal_accepted.policy | proposal_accepted.by"
        " | proposal_accepted.customer | proposal_countered | proposal_declined"
        " | pending_approval.counter_declined | pending_approval.counter_over_limits | no_email | language_fallback"
        " | dismissed | released | failed | email_failed | email_uncertain; the page's wording key"
    )
    by: str | None = strawberry.field(default=None, description="reported.staff, approved, declined, proposal_*: who")
    note: str | None = strawberry.field(
        default=None,
        description="What the reporter wrote, or why it was declined or dismissed, in their words;"
        " order_note.*, failed, email_*: why (the server's words)",
    )
    problem: str | None = strawberry.field(
        default=None, description="reported.customer: wrong_item | damaged | missing_item | not_arrived | other"
    )
    request: str | None = strawberry.field(
        default=None, description="reported.request: later_delivery | change_variant"
    )
    not_before: str | None = strawberry.field(default=None, description="later_delivery: ISO date")
    item: str | None = strawberry.field(default=None, description="change_variant: the line's product name")
    order_language: str | None = strawberry.field(
        default=None, description="language_fallback: the order's language, as Saleor's LanguageCodeEnum (FR_CA)"
    )
    language: str | None = strawberry.field(default=None, description="language_fallback: the language written in")
    amount: str | None = strawberry.field(default=None, description="proposal_countered: the refund offered")
    currency: str | None = strawberry.field(default=None, description="proposal_countered: its currency")
    order_number: str | None = strawberry.field(default=None, description="goodwill_used: the order it was spent on")


@strawberry.type
class GoodwillDone:
    """What was created in Saleor, as parts: the page words it ("gift card 15.00 USD, code ending 4F2A")."""

    type: str = strawberry.field(description="The offer type that was carried out")
    amount: str | None = strawberry.field(description="Gift card or refund amount, else the offer's value")
    currency: str | None
    code: str | None = strawberry.field(description="free_shipping_voucher: the voucher code")
    code_ending: str | None = strawberry.field(description="gift_card: the code's last four characters")
    order_number: str | None = strawberry.field(description="reship | gift_product: the new order's number")
    products: str | None = strawberry.field(description="reship | gift_product: the products' names")
    expires_on: str | None = strawberry.field(description="ISO date, when it expires")


def _message_note(message: str) -> EventFacts | None:
    """A later e-mail's order note: written, waiting (and why), not written (and why), or the order gone."""
    noted = _MESSAGE_NOTE.match(message)
    if noted is None:
        return None
    if noted["written"]:
        return EventFacts(code="order_note.written")
    if noted["gone"]:
        return EventFacts(code="order_note.order_gone")
    if noted["waits"] is not None:
        return EventFacts(code="order_note.waits", note=noted["waits"])
    return EventFacts(code="order_note.not_written", note=noted["not_written"])


def _proposal_answer(event_type: str, message: str) -> EventFacts | None:
    """An answer to the customer's proposal, or why it is the merchant's turn again; None if not one."""
    if event_type == "proposal_accepted":
        if message in _ACCEPTED:
            return EventFacts(code=_ACCEPTED[message])
        accepted = _ACCEPTED_BY.match(message)
        return EventFacts(code="proposal_accepted.by", by=accepted["by"]) if accepted else None
    if event_type == "proposal_countered":
        countered = _COUNTERED.match(message)
        if countered is None:
            return None
        return EventFacts(
            code="proposal_countered", by=countered["by"], amount=countered["amount"], currency=countered["currency"]
        )
    if event_type == "proposal_declined":
        declined = _PROPOSAL_DECLINED.match(message)
        return EventFacts(code="proposal_declined", by=declined["by"], note=declined["reason"]) if declined else None
    if message in _BACK_TO_MERCHANT:
        return EventFacts(code=_BACK_TO_MERCHANT[message])
    if message.startswith(_COUNTER_OVER_LIMITS):  # "…, but <which limit>": the limit's words are the reason
        return EventFacts(code="pending_approval.counter_over_limits", note=message[len(_COUNTER_OVER_LIMITS) :])
    return None  # waiting for the merchant's first answer: the page has its own words


def _outcome(event_type: str, message: str) -> EventFacts | None:
    """Why nobody was written to, in which language they were, or why the incident or its e-mail failed."""
    if event_type == "no_email":
        return EventFacts(code="no_email") if message == NO_EMAIL else None
    if event_type == "language_fallback":
        fallback = _LANGUAGE_FALLBACK.match(message)
        if fallback is None:
            return None
        return EventFacts(code="language_fallback", order_language=fallback["wanted"], language=fallback["used"])
    if event_type == "dismissed":
        dismissed = _DISMISSED.match(message)
        return EventFacts(code="dismissed", by=dismissed["by"], note=dismissed["reason"]) if dismissed else None
    if event_type == "released":
        released = _RELEASED.match(message)
        return EventFacts(code="released", by=released["by"]) if released else None
    if event_type == "email_failed" and message.startswith(MAYBE_DELIVERED):
        # The connection dropped after the whole message went out: not sent again, and maybe it arrived.
        return EventFacts(code="email_uncertain", note=message[len(MAYBE_DELIVERED) :])
    if event_type == "email_failed" and message == STOPPED_MID_CONVERSATION:  # the app stopped mid-send
        return EventFacts(code="email_uncertain", note=message)
    return EventFacts(code=event_type, note=message)  # failed, email_failed: the reason is the server's words


_OUTCOMES = ("no_email", "language_fallback", "dismissed", "released", "failed", "email_failed")


# store/redemptions.used_message: a code the app gave, spent on a later order.
_GOODWILL_USED = re.compile(r"^Used on order #(?P<number>\S+)(?: \((?P<amount>[\d.]+) (?P<currency>[A-Z]{3}) off\))?$")


def event_facts(event_type: str, message: str, facts: dict) -> EventFacts | None:
    """The facts of an entry the server worded; None for those the page words from the incident, or not at all."""
    if event_type == "goodwill_used":
        used = _GOODWILL_USED.match(message)
        return (
            EventFacts(code=event_type, order_number=used["number"], amount=used["amount"], currency=used["currency"])
            if used
            else None
        )
    if event_type.startswith("proposal_") or event_type == "pending_approval":
        return _proposal_answer(event_type, message)
    if event_type in _OUTCOMES:
        return _outcome(event_type, message)
    if event_type == "retrying":
        return _message_note(message)
    if event_type == "order_note":
        return _message_note(message) or EventFacts(
            code="order_note.written" if message == PROPOSAL_NOTE else "order_note"
        )
    if event_type == "goodwill_created":
        return EventFacts(code=event_type)  # the page words it from the incident's decision
    if event_type == "approved" and message.startswith(APPROVED_PREFIX):
        return EventFacts(code="approved", by=message[len(APPROVED_PREFIX) :])
    declined = DECLINED.match(message) if event_type == "declined" else None
    if declined:
        return EventFacts(code="declined", by=declined["by"], note=declined["reason"])
    if event_type != "reported":
        return None
    note = facts.get("note") or None
    if message.startswith(STAFF_PREFIX):
        by = message[len(STAFF_PREFIX) :].split(": ", 1)[0]
        return EventFacts(code="reported.staff", by=by, note=note)
    if facts.get("request"):
        item = (facts.get("affected_items") or [None])[0]
        return EventFacts(
            code="reported.request",
            request=str(facts["request"]),
            not_before=facts.get("not_before"),
            item=item,
            note=note,
        )
    return EventFacts(code="reported.customer", problem=facts.get("problem"), note=note)


def goodwill_done(decision: dict | None, code: str | None) -> GoodwillDone | None:
    decision = decision or {}
    done, offer = decision.get("goodwill"), decision.get("offer") or {}
    if not done:
        return None
    kind = str(offer.get("type", "apology_only"))
    amount = offer.get({"gift_card": "gift_card_amount", "partial_refund": "refund_amount"}.get(kind, "value"))
    number = _ORDER_NUMBER.search(str(done.get("summary") or ""))
    return GoodwillDone(
        type=kind,
        amount=None if amount is None else str(amount),
        currency=offer.get("currency"),
        code=code if kind == "free_shipping_voucher" else None,
        code_ending=code[-4:] if kind == "gift_card" and code else None,
        order_number=number.group(1) if number and kind in ("reship", "gift_product") else None,
        products=done.get("product_name"),
        expires_on=done.get("expires_on"),
    )
