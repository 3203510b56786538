"""Timeline entries as facts the page words in the dashboard's language.

The writers (support/reports.py, watch/staff_report.py, jobs/incidents_flow.py) store one English line per
event, which is what the order note and the logs read. The page needs the parts instead: who reported,
what they said, what was created in Saleor. Those come from the incident's own facts and decision; only the
staff member's address (and a decline's reason) is in the line alone ("Reported by {by}: …"), so it is read
from there.
tests/ui/test_api_event_facts.py drives the real writers, so a change of their wording fails there.
"""

from __future__ import annotations

import re

import strawberry

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
# carry_out.py: "replacement order #1042 (Blue shirt M) sent free of charge" — the new order's number is only there.
_ORDER_NUMBER = re.compile(r"order #(\S+)")


@strawberry.type
class EventFacts:
    code: str = strawberry.field(
        description="reported.customer | reported.request | reported.staff | approved | declined | goodwill_created"
        " | order_note (note and metadata of the incident) | order_note.written | order_note.waits"
        " | order_note.not_written | order_note.order_gone; the page's wording key"
    )
    by: str | None = strawberry.field(default=None, description="reported.staff, approved, declined: who")
    note: str | None = strawberry.field(
        default=None,
        description="What the reporter wrote, or why it was declined, in their words; order_note.*: why not (yet)",
    )
    problem: str | None = strawberry.field(
        default=None, description="reported.customer: wrong_item | damaged | missing_item | not_arrived | other"
    )
    request: str | None = strawberry.field(
        default=None, description="reported.request: later_delivery | change_variant"
    )
    not_before: str | None = strawberry.field(default=None, description="later_delivery: ISO date")
    item: str | None = strawberry.field(default=None, description="change_variant: the line's product name")


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


def event_facts(event_type: str, message: str, facts: dict) -> EventFacts | None:
    """The facts of an entry the server worded; None for those the page words from the incident, or not at all."""
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
