"""A customer's report (support page) from the proposal to the answer in their inbox.

    detected ─decide─▶ acting                        (the policy accepts the proposal by itself)
             └──────▶ pending_approval ─accept─▶ acting
                          │ ─counter─▶ waiting_customer ─customer accepts─▶ acting
                          │                  └─customer declines─▶ pending_approval
                          └─decline─▶ acting (apology only)
    acting ─goodwill once, order note, answer e-mail─▶ notified

Every transition happens under a lock on the incident and checks the state it starts from, so a
second click (the merchant's or the customer's) finds nothing to do. The goodwill itself is
carried out by the same exactly-once code as any incident (incidents_flow.incident_goodwill).
"""

from __future__ import annotations

import logging
from datetime import date
from decimal import Decimal

from saleor_cs_app.care.decide import Decision, Offer
from saleor_cs_app.care.model import OfferType
from saleor_cs_app.care.proposals import (
    Proposal,
    ProposalInvalid,
    affected_value,
    agreed_to_counter,
    countered_resolution,
    customer_report_facts,
    decide_proposal,
    money_off,
)
from saleor_cs_app.goodwill.errors import GoodwillFailed
from saleor_cs_app.goodwill.order_note import add_note_once
from saleor_cs_app.jobs import incident_lease, incidents_flow
from saleor_cs_app.jobs.facts import order_facts
from saleor_cs_app.links import support_url
from saleor_cs_app.notify.support_mail import queue_situation
from saleor_cs_app.runtime import Runtime
from saleor_cs_app.saleor.client import SaleorGraphQLError, SaleorUnavailable
from saleor_cs_app.store import budget, incidents, orders, policies, support_reports
from saleor_cs_app.store.models import Incident, Tenant

log = logging.getLogger(__name__)

WAITING_CUSTOMER = "waiting_customer"


class NotAnswerable(Exception):
    """The report is not in a state this answer applies to; the message is safe to show."""


class LimitReached(Exception):
    """Accepting would break the monthly budget or the per-customer limit."""


def is_customer_report(runtime: Runtime, incident_id: str) -> bool:
    with runtime.db.read() as session:
        incident = session.get(Incident, incident_id)
        return incident is not None and incident.kind == "customer_report"


def handle(runtime: Runtime, incident_id: str) -> int | None:
    _decide(runtime, incident_id)
    return _act(runtime, incident_id)


# -- deciding ----------------------------------------------------------------------------------
def _decide(runtime: Runtime, incident_id: str) -> None:
    with runtime.db.transaction() as session:
        incident = session.get(Incident, incident_id, with_for_update=True, populate_existing=True)
        if incident is None or incident.state != "detected":
            return
        now = runtime.clock()
        policy = policies.load(session, incident.tenant_id)
        tracked = orders.find(session, incident.tenant_id, incident.order_id)
        order = order_facts(tracked.facts, tracked.order_id, tracked.created_at)
        offer = _offer_from(incident.facts.get("proposed_offer"))
        month = budget.month_of(now)
        budget.lock_month(session, incident.tenant_id, month, order.currency)
        history = budget.customer_history(
            session, incident.tenant_id, order.customer_email, days=policy.limits.per_customer.days, now=now
        )
        if incident.facts.get("request"):  # a change before shipping: always a person's call
            said = f"the customer asks before shipping: {incident.facts['request'].replace('_', ' ')}"
            decision = Decision(Offer.apology(order.currency), True, None, f"{said} → waits for the merchant")
        else:
            decision = decide_proposal(
                customer_report_facts(offer.value if offer else None),
                order,
                offer,
                history,
                budget.state(session, incident.tenant_id, month, order.currency),
                policy,
            )
        incidents_flow.record_decision(incident, decision)
        report = support_reports.of_incident(session, incident.tenant_id, incident.id, lock=True)
        incidents.add_event(session, incident, now, "decided", decision.reason)
        if decision.needs_approval:
            incident.state = "pending_approval"
            incidents.add_event(session, incident, now, "pending_approval", "Waiting for the merchant's answer")
        else:
            _reserve(session, incident, order, decision.offer, now)
            incident.state, report.state = "acting", "accepted"
            incidents.add_event(session, incident, now, "proposal_accepted", "Accepted by the policy")
        # Accepted at once: the answer itself is the first e-mail ("we'll read your report" would not be true).
        queued = None
        if decision.needs_approval:
            queued = _mail(runtime, session, incident, tracked, policy, report, "report_received", now)
    _send(runtime, queued)


# -- the merchant's answers --------------------------------------------------------------------
def accept(runtime: Runtime, tenant_id: int, incident_id: str, *, by: str) -> None:
    with runtime.db.transaction() as session:
        incident, report = _locked(session, tenant_id, incident_id, "pending_approval")
        if incident.facts.get("request"):  # a change before shipping: nothing to give, only a yes
            now = runtime.clock()
            report.state, report.updated_at, incident.state = "accepted", now, "acting"
            incident.decision = {**incident.decision, "reason": f"approved by {by}"}
            incidents.add_event(session, incident, now, "proposal_accepted", f"Approved by {by}")
        else:
            offer = _offer_from((incident.decision or {}).get("offer"))
            if offer is None or offer.type is OfferType.APOLOGY_ONLY:
                raise NotAnswerable("the customer lets the shop decide: make them an offer with Counter")
            _accept(runtime, session, incident, report, offer, f"Accepted by {by}")
    runtime.jobs.enqueue("handle_incident", incident_id)  # after the commit, so the worker sees `acting`


def counter(
    runtime: Runtime,
    tenant_id: int,
    incident_id: str,
    *,
    amount: Decimal | None,
    percent: Decimal | None,
    note: str | None,
    by: str,
) -> None:
    """Offer money off the affected items instead; the customer answers on the support page."""
    with runtime.db.transaction() as session:
        incident, report = _locked(session, tenant_id, incident_id, "pending_approval")
        now = runtime.clock()
        tracked = orders.find(session, tenant_id, incident.order_id)
        order = order_facts(tracked.facts, tracked.order_id, tracked.created_at)
        lines = tuple(line for line in order.lines if line.line_id in report.line_ids)
        try:
            value = money_off(Proposal(report.resolution, amount, percent), affected_value(lines), order.currency)
        except ProposalInvalid as exc:
            raise NotAnswerable(str(exc)) from None
        _check_limits(session, incident, Offer(OfferType.PARTIAL_REFUND, value, order.currency), now)
        round_ = len([k for k in (incident.decision or {}).get("counters", [])]) + 1
        report.counter = {
            "amount": str(amount) if amount is not None else None,
            "percent": str(percent) if percent is not None else None,
            "value": str(value),
            "currency": order.currency,
            "note": note,
            "round": round_,
        }
        report.state, report.merchant_note, report.updated_at = "countered", note, now
        incident.decision = {**incident.decision, "counters": [*incident.decision.get("counters", []), report.counter]}
        incident.state = WAITING_CUSTOMER
        incidents.add_event(session, incident, now, "proposal_countered", f"{by} offered {order.currency} {value}")
        policy = policies.load(session, tenant_id)
        queued = _mail(
            runtime, session, incident, tracked, policy, report, "counter_offer", now, purpose=f"counter_offer:{round_}"
        )
    _send(runtime, queued)


def decline(runtime: Runtime, tenant_id: int, incident_id: str, *, by: str, reason: str | None) -> None:
    with runtime.db.transaction() as session:
        incident, report = _locked(session, tenant_id, incident_id, "pending_approval", WAITING_CUSTOMER)
        now = runtime.clock()
        report.state, report.merchant_note, report.updated_at = "declined", reason, now
        incident.decision = {
            **incident.decision,
            "offer": {"type": OfferType.APOLOGY_ONLY.value, "value": "0", "currency": incident.currency},
            "reason": f"declined by {by}" + (f": {reason}" if reason else ""),
        }
        incident.offer_type, incident.offer_value, incident.state = OfferType.APOLOGY_ONLY.value, Decimal(0), "acting"
        incidents.add_event(session, incident, now, "proposal_declined", incident.decision["reason"])
    runtime.jobs.enqueue("handle_incident", incident_id)


# -- the customer's answer to a counter-offer ---------------------------------------------------
def customer_answer(runtime: Runtime, tenant_id: int, order_id: str, report_id: str, *, accepted: bool) -> None:
    with runtime.db.transaction() as session:
        report = support_reports.get_for_order(session, tenant_id, order_id, report_id, lock=True)
        if report is None:
            raise NotAnswerable("no such report")
        incident, report = _locked(session, tenant_id, report.incident_id, WAITING_CUSTOMER)
        now = runtime.clock()
        if not accepted:
            # The shop's note went with the offer the customer just turned down (it stays in the incident's
            # counters): the page no longer shows it under "we're looking at it".
            report.state, report.merchant_note, report.updated_at = "open", None, now
            incident.state = "pending_approval"
            incidents.add_event(session, incident, now, "pending_approval", "The customer declined the counter-offer")
            return
        value = Decimal(report.counter["value"])
        offer = Offer(OfferType.PARTIAL_REFUND, value, report.counter["currency"], refund_amount=value)
        try:
            _accept(runtime, session, incident, report, offer, "The customer accepted the counter-offer")
        except LimitReached as exc:  # the budget went elsewhere since the offer: the merchant decides again
            report.state, report.updated_at, incident.state = "open", now, "pending_approval"
            incidents.add_event(session, incident, now, "pending_approval", f"The customer accepted, but {exc}")
            return
    runtime.jobs.enqueue("handle_incident", report.incident_id)


def _accept(runtime: Runtime, session, incident: Incident, report, offer: Offer, said: str) -> None:
    """Hold the budget (the limits hold for a person's yes too), then the fix is carried out."""
    now = runtime.clock()
    order = _check_limits(session, incident, offer, now)
    incidents_flow.record_decision(incident, Decision(offer, False, None, said))
    _reserve(session, incident, order, offer, now)
    incident.state, report.state, report.updated_at = "acting", "accepted", now
    incidents.add_event(session, incident, now, "proposal_accepted", said)


def _check_limits(session, incident: Incident, offer: Offer, now):
    """Raise LimitReached when the offer breaks the per-customer limit or the month's budget; the order facts."""
    policy = policies.load(session, incident.tenant_id)
    tracked = orders.find(session, incident.tenant_id, incident.order_id)
    order = order_facts(tracked.facts, tracked.order_id, tracked.created_at)
    month = budget.month_of(now)
    budget.lock_month(session, incident.tenant_id, month, offer.currency)
    limits = policy.limits
    history = budget.customer_history(
        session, incident.tenant_id, order.customer_email, days=limits.per_customer.days, now=now
    )
    if history.compensations_in_window >= limits.per_customer.max:
        raise LimitReached(f"the customer was already compensated {history.compensations_in_window}× recently")
    if limits.monthly_budget:
        monthly = limits.monthly_budget.get(offer.currency)
        used = budget.state(session, incident.tenant_id, month, offer.currency).used_in(offer.currency)
        if monthly is None or used + offer.value > monthly:
            raise LimitReached(f"the monthly budget for {offer.currency} would be exceeded")
    return order


def _reserve(session, incident: Incident, order, offer: Offer, now) -> None:
    if offer.type is OfferType.APOLOGY_ONLY:
        return
    budget.reserve(
        session,
        tenant_id=incident.tenant_id,
        incident_id=incident.id,
        email=order.customer_email,
        month=budget.month_of(now),
        currency=offer.currency,
        amount=offer.value,
        now=now,
    )


def _locked(session, tenant_id: int, incident_id: str, *states: str):
    incident = incidents.get_for_tenant(session, tenant_id, incident_id, lock=True)
    if incident is None or incident.kind != "customer_report":
        raise LookupError("no such customer report")
    report = support_reports.of_incident(session, tenant_id, incident_id, lock=True)
    if incident.state not in states:
        raise NotAnswerable(f"the report is {incident.state.replace('_', ' ')}, nothing to answer")
    return incident, report


# -- acting ------------------------------------------------------------------------------------
def _act(runtime: Runtime, incident_id: str) -> int | None:
    claimed = incident_lease.claim(runtime, incident_id)
    if claimed is None:
        return None
    incident, tenant, tracked_facts = claimed
    try:
        client = runtime.saleor_client(tenant)
        original = client.execute("GoodwillOrder", {"id": incident.order_id}).get("order")
        if original is None:
            raise GoodwillFailed("the order is no longer visible to the app")
        result = incidents_flow.incident_goodwill(runtime, client, incident, original, tracked_facts)
        add_note_once(client, original=original, incident_id=incident_id, message=_note_text(incident, result))
    except SaleorUnavailable as exc:
        return incident_lease.release_for_retry(runtime, incident_id, str(exc))
    except SaleorGraphQLError as exc:
        return incident_lease.fail(runtime, incident_id, f"Saleor refused: {exc}")
    except GoodwillFailed as exc:
        return incident_lease.fail(runtime, incident_id, str(exc))
    except Exception as exc:  # a bug, or a database hiccup: retry, then give up visibly
        log.exception("customer report step crashed", extra={"incident": incident_id})
        return incident_lease.release_for_retry(runtime, incident_id, f"{type(exc).__name__}: {exc}")
    with runtime.db.transaction() as session:
        row = session.get_one(Incident, incident_id, with_for_update=True, populate_existing=True)
        report = support_reports.of_incident(session, row.tenant_id, row.id, lock=True)
        now = runtime.clock()
        row.state = "notified"
        incident_lease.let_go(row)
        incidents.add_event(session, row, now, "order_note", "Order note written in Saleor")
        support_reports.release_lines(session, report.id)
        tracked = orders.find(session, row.tenant_id, row.order_id)
        policy = policies.load(session, row.tenant_id)
        if row.facts.get("request"):
            situation = "request_answered"
        else:
            situation = "proposal_accepted" if report.state == "accepted" else "proposal_declined"
        queued = _mail(runtime, session, row, tracked, policy, report, situation, now)
    _send(runtime, queued)
    return None


def _note_text(incident: Incident, result) -> str:
    facts = incident.facts or {}
    said = (incident.decision or {}).get("reason", "")
    if facts.get("request"):
        asked = f"{facts['request'].replace('_', ' ')} ({facts.get('request_details')})"
        return f"Customer care: before shipping, the customer asked for {asked}. Answer: {said}."
    return (
        f"Customer care: the customer reported {facts.get('problem', 'a problem').replace('_', ' ')} "
        f"({', '.join(facts.get('affected_items') or [])}) and asked for {facts.get('resolution', '').replace('_', ' ')}. "
        f"Answer: {result.summary} ({said})."
    )


def _send(runtime: Runtime, outbox_id: int | None) -> None:
    if outbox_id is not None:
        runtime.jobs.enqueue("send_message", outbox_id)


def _mail(runtime, session, incident, tracked, policy, report, situation, now, *, purpose=None) -> int | None:
    """Queue the situation's e-mail in this transaction; returns the outbox id to send after commit."""
    facts = incident.facts or {}
    # The shop's counter-offer, as offered, and once the customer accepted it: that is what they get now,
    # not what they first asked for.
    offer = (incident.decision or {}).get("offer") or {}
    countered = situation == "counter_offer" or (
        situation == "proposal_accepted" and agreed_to_counter(report.state, report.counter, offer)
    )
    amount = report.counter.get("value") if countered else offer.get("refund_amount")
    variables = {
        "support_url": support_url(
            runtime.settings, session.get_one(Tenant, incident.tenant_id), tracked.order_id, now
        ),
        "problem": report.problem,
        "resolution": countered_resolution(report.problem, report.resolution).value if countered else report.resolution,
        "resolution_amount": Decimal(str(amount)) if amount else None,
        "resolution_percent": _percent_of(report, countered),
        "merchant_note": report.merchant_note,
        "affected_items": facts.get("affected_items") or [],
        "asked_shop_to_decide": situation == "counter_offer" and report.resolution == "shop_decides",
        "counter_accepted": countered and situation == "proposal_accepted",
    }
    if facts.get("request"):  # a change before shipping: no fix was proposed
        variables.update(request=facts["request"], resolution="shop_decides", problem="other")
        if facts.get("not_before"):
            variables["requested_date"] = date.fromisoformat(facts["not_before"])
    if situation == "request_answered":
        variables["approved"] = report.state == "accepted"
    row = queue_situation(
        session,
        incident,
        tracked,
        policy,
        runtime.settings,
        situation=situation,
        purpose=purpose or situation,
        variables=variables,
        now=now,
    )
    return row.id if row is not None else None


def _percent_of(report, countered: bool) -> Decimal | None:
    """The percentage the customer (or the shop's counter-offer) named, when it was one."""
    if countered:
        percent = (report.counter or {}).get("percent")
        return Decimal(percent) if percent else None
    return report.percent if report.resolution == "keep_with_discount" else None


def _offer_from(stored: dict | None) -> Offer | None:
    if not stored or stored.get("type") in (None, OfferType.APOLOGY_ONLY.value):
        return None
    value = Decimal(str(stored["value"]))
    refund = stored.get("refund_amount")
    return Offer(
        OfferType(stored["type"]),
        value,
        stored["currency"],
        refund_amount=Decimal(str(refund)) if refund else None,
        reship_skus=tuple(stored.get("reship_skus") or ()),
        keep_item_discount_percent=Decimal(0) if stored["type"] == OfferType.RESHIP.value else None,
    )
