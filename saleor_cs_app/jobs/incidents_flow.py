"""An incident's way from detection to the customer's inbox.

    detected ─decide─▶ pending_approval ─approve─▶ acting ─goodwill, note─▶ notifying ─send─▶ notified
                    └──────────────────────────▶ acting        (decline: acting with an apology only)
    acting ─▶ handled            (the order has no e-mail address: goodwill and note only)
    any Saleor refusal ─▶ failed (reservation released, reason shown to the merchant)

Deciding and reserving budget is one transaction. Acting holds a lease on the
incident so two workers never carry out the same offer at once; a crashed
worker's lease runs out and the retry looks up what the first attempt created
(tags, codes, external references) instead of creating it again.
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from decimal import Decimal

from saleor_cs_app.care.decide import Decision, decide, matching_rule
from saleor_cs_app.care.model import OfferType
from saleor_cs_app.goodwill import catalogue
from saleor_cs_app.goodwill.carry_out import GoodwillResult, OfferRequest, carry_out
from saleor_cs_app.goodwill.errors import GoodwillFailed
from saleor_cs_app.goodwill.order_note import add_note_once, record_incident
from saleor_cs_app.jobs import backlog, incident_lease
from saleor_cs_app.jobs.facts import incident_facts, order_facts
from saleor_cs_app.jobs.pending import NotPending  # noqa: F401  (callers catch incidents_flow.NotPending)
from saleor_cs_app.notify import outbox
from saleor_cs_app.runtime import Runtime
from saleor_cs_app.saleor.client import SaleorError, SaleorGraphQLError, SaleorUnavailable
from saleor_cs_app.store import budget, incidents, orders, policies, tenants
from saleor_cs_app.store.models import Incident, Tenant

log = logging.getLogger(__name__)

def handle(runtime: Runtime, incident_id: str) -> int | None:
    """Carry the incident as far as it can go now; returns the attempt number to retry after a failure."""
    try:
        prices = _catalogue_prices(runtime, incident_id)
    except SaleorUnavailable as exc:
        return incident_lease.release_for_retry(runtime, incident_id, str(exc))
    _decide(runtime, incident_id, prices)
    return _act(runtime, incident_id)


# -- deciding ----------------------------------------------------------------------------------
def _catalogue_prices(runtime: Runtime, incident_id: str) -> dict[str, Decimal]:
    """Prices of SKUs the decision needs that the order does not carry: a gift product, or the
    wrongly sent item a customer may keep. Without them such offers would cost 0 against the
    budget and the approval threshold."""
    with runtime.db.read() as session:
        incident = session.get(Incident, incident_id)
        if incident is None or incident.state != "detected":
            return {}
        policy = policies.load(session, incident.tenant_id)
        tracked = orders.find(session, incident.tenant_id, incident.order_id)
        tenant = session.get_one(Tenant, incident.tenant_id)
        order = order_facts(tracked.facts, tracked.order_id, tracked.created_at)
        facts = incident_facts(incident)
        channel = incident.channel_slug
        session.expunge(tenant)
    rule = matching_rule(policy, facts, order)
    if rule is None:
        return {}
    if rule.offer.type == OfferType.GIFT_PRODUCT:
        wanted = {rule.offer.params.sku}
    elif rule.offer.type == OfferType.RESHIP:
        wanted = set(facts.sent_skus)
    else:
        return {}
    wanted -= {line.sku for line in order.lines}
    prices = {}
    client = runtime.saleor_client(tenant)
    for sku in sorted(s for s in wanted if s):
        try:
            variant = client.execute("VariantBySku", {"sku": sku, "channel": channel}).get("productVariant")
        except SaleorGraphQLError:
            variant = None
        gross = (((variant or {}).get("pricing") or {}).get("price") or {}).get("gross") or {}
        if gross.get("amount") is not None:
            prices[sku] = Decimal(str(gross["amount"]))
    return prices


def _decide(runtime: Runtime, incident_id: str, catalogue_prices: dict[str, Decimal]) -> None:
    with runtime.db.transaction() as session:
        incident = session.get(Incident, incident_id, with_for_update=True, populate_existing=True)
        if incident is None or incident.state != "detected":
            return
        now = runtime.clock()
        policy = policies.load(session, incident.tenant_id)
        tracked = orders.find(session, incident.tenant_id, incident.order_id)
        order = order_facts(tracked.facts, tracked.order_id, tracked.created_at)
        month = budget.month_of(now)
        budget.lock_month(session, incident.tenant_id, month, order.currency)
        history = budget.customer_history(
            session, incident.tenant_id, order.customer_email, days=policy.limits.per_customer.days, now=now
        )
        decision = decide(
            incident_facts(incident),
            order,
            history,
            budget.state(session, incident.tenant_id, month, order.currency),
            policy,
            gift_product_prices=catalogue_prices,
        )
        record_decision(incident, decision)
        if decision.offer.type != OfferType.APOLOGY_ONLY:
            budget.reserve(
                session,
                tenant_id=incident.tenant_id,
                incident_id=incident.id,
                email=order.customer_email,
                month=month,
                currency=order.currency,
                amount=decision.offer.value,
                now=now,
            )
        outbox.reserve_initial_message(session, incident, tracked, policy, runtime.settings, now)
        incident.state = "pending_approval" if decision.needs_approval else "acting"
        incidents.add_event(session, incident, now, "decided", decision.reason)
        if decision.needs_approval:
            incidents.add_event(session, incident, now, "pending_approval", "Waiting for a person to approve the offer")


def record_decision(incident: Incident, decision: Decision) -> None:
    offer = {k: (str(v) if isinstance(v, Decimal) else v) for k, v in asdict(decision.offer).items()}
    offer["type"] = decision.offer.type.value
    incident.decision = {
        "offer": offer,
        "rule": decision.rule_name,
        "reason": decision.reason,
        "blocked_by": decision.blocked_by,
        "needs_approval": decision.needs_approval,
    }
    incident.offer_type = decision.offer.type.value
    incident.offer_value = decision.offer.value
    incident.currency = decision.offer.currency


# -- approving ---------------------------------------------------------------------------------
def approve(runtime: Runtime, tenant_id: int, incident_id: str, *, by: str) -> None:
    """Approve a pending offer, or release an incident waiting in the install backlog."""
    with runtime.db.read() as session:
        incident = incidents.get_for_tenant(session, tenant_id, incident_id)
        if incident is not None and incident.state == backlog.BACKLOG:
            return backlog.release(runtime, tenant_id, incident_id, by=by)
    with runtime.db.transaction() as session:
        incident = _pending(session, tenant_id, incident_id)
        incident.state = "acting"
        incidents.add_event(session, incident, runtime.clock(), "approved", f"Approved by {by}")
    runtime.jobs.enqueue("handle_incident", incident_id)


def decline(runtime: Runtime, tenant_id: int, incident_id: str, *, by: str, reason: str | None) -> None:
    """Declined offers release their budget; the customer still gets the apology."""
    with runtime.db.transaction() as session:
        incident = _pending(session, tenant_id, incident_id)
        budget.settle(session, incident.id, "released")
        decision = dict(incident.decision or {})
        decision["offer"] = {**decision.get("offer", {}), "type": OfferType.APOLOGY_ONLY.value, "value": "0"}
        decision["reason"] = f"declined by {by}" + (f": {reason}" if reason else "") + " → apology only"
        incident.decision = decision
        incident.offer_type, incident.offer_value = OfferType.APOLOGY_ONLY.value, Decimal(0)
        incident.state = "acting"
        incidents.add_event(session, incident, runtime.clock(), "declined", decision["reason"])
    runtime.jobs.enqueue("handle_incident", incident_id)


def _pending(session, tenant_id: int, incident_id: str) -> Incident:
    incident = incidents.get_for_tenant(session, tenant_id, incident_id, lock=True)
    if incident is None:
        raise LookupError("no such incident")
    if incident.kind == "customer_report":  # its own answers: jobs/proposals_flow.py
        raise NotPending("customer report: answer it with Accept, Counter or Decline")
    if incident.state != "pending_approval":
        raise NotPending(f"incident is {incident.state}, not waiting for approval")
    return incident


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
        result = incident_goodwill(runtime, client, incident, original, tracked_facts)
        names = catalogue.names_by_sku(client, _unnamed_skus(incident, tracked_facts), incident.channel_slug)
        with runtime.db.transaction() as session:
            row = session.get_one(Incident, incident_id)
            message = outbox.compose_initial_message(
                session, row, result, runtime.settings, runtime.clock(), item_names=names
            )
        note = _note_text(incident, result, message)
        add_note_once(client, original=original, incident_id=incident_id, message=note)
        record_incident(
            client,
            order_id=incident.order_id,
            incident_key=_metadata_key(incident),
            summary={"id": incident_id, "kind": incident.kind, "offer": incident.offer_type, "state": "handled"},
        )
    except SaleorUnavailable as exc:
        return incident_lease.release_for_retry(runtime, incident_id, str(exc))
    except SaleorGraphQLError as exc:
        if exc.is_permission_denied and tenants_token_revoked(runtime, tenant):
            return incident_lease.fail(runtime, incident_id, "the app was uninstalled from this Saleor")
        return incident_lease.fail(runtime, incident_id, f"Saleor refused: {exc}")
    except (GoodwillFailed, SaleorError) as exc:
        return incident_lease.fail(runtime, incident_id, str(exc))
    except Exception as exc:  # a bug, or a database hiccup: retry, then give up visibly
        log.exception("incident step crashed", extra={"incident": incident_id})
        return incident_lease.release_for_retry(runtime, incident_id, f"{type(exc).__name__}: {exc}")
    with runtime.db.transaction() as session:
        row = session.get_one(Incident, incident_id, with_for_update=True, populate_existing=True)
        row.state = "notifying" if message is not None else "handled"
        incident_lease.let_go(row)
        incidents.add_event(session, row, runtime.clock(), "order_note", "Order note and metadata written in Saleor")
        outbox_id = message.id if message is not None else None
    if outbox_id is not None:
        runtime.jobs.enqueue("send_message", outbox_id)
    return None


def incident_goodwill(runtime: Runtime, client, incident: Incident, original: dict, facts: dict) -> GoodwillResult:
    """Create the goodwill once; a retry after it was recorded reuses the record."""
    done = (incident.decision or {}).get("goodwill")
    if done is not None or incident.offer_type == OfferType.APOLOGY_ONLY.value:
        return GoodwillResult.recorded(done or {}, incident.goodwill_code)
    offer = incident.decision["offer"]
    request = OfferRequest(
        incident_id=incident.id,
        type=OfferType(offer["type"]),
        currency=offer["currency"],
        value=Decimal(offer["value"]),
        gift_card_amount=_decimal(offer.get("gift_card_amount")),
        refund_amount=_decimal(offer.get("refund_amount")),
        expires_in_days=offer.get("expires_in_days"),
        sku=offer.get("sku"),
        quantity=offer.get("quantity"),
        reship_skus=tuple(offer.get("reship_skus") or ()),
        customer_email=facts.get("customer_email"),
        channel_slug=incident.channel_slug,
        reason=f"Customer care: {incident.kind.replace('_', ' ')} on order #{incident.order_number}",
    )
    today = runtime.clock().date()
    result = carry_out(client, request, original, today=today, secret_key=runtime.settings.secret_key)
    with runtime.db.transaction() as session:
        row = session.get_one(Incident, incident.id, with_for_update=True, populate_existing=True)
        row.goodwill_code = result.code
        row.decision = {
            **row.decision,
            "goodwill": {
                "reference": result.reference,
                "product_name": result.product_name,
                "summary": result.summary,
                "expires_on": result.expires_on.isoformat() if result.expires_on else None,
            },
        }
        budget.settle(session, incident.id, "spent")
        incidents.add_event(session, row, runtime.clock(), "goodwill_created", f"Created in Saleor: {result.summary}")
    return result


def tenants_token_revoked(runtime: Runtime, tenant: Tenant) -> bool:
    """On Saleor < 3.23.5 an uninstall only shows as permission errors: confirm with `app { id }`."""
    try:
        app = runtime.saleor_client(tenant).execute("AppId").get("app")
    except SaleorGraphQLError as exc:
        app = None if exc.is_permission_denied else {"id": "unknown"}
    except SaleorError:
        return False
    if app is not None:
        return False
    with runtime.db.transaction() as session:
        tenants.mark_uninstalled(session, tenant.id, runtime.clock())
    runtime.tenant_cache.pop(tenant.saleor_api_url, None)
    return True


def _note_text(incident: Incident, result: GoodwillResult, message) -> str:
    told = (
        f"E-mailed the customer ({message.language}): \u201c{message.subject}\u201d."
        if message is not None
        else "No e-mail address on the order: the customer was not e-mailed."
    )
    reason = (incident.decision or {}).get("reason", "")
    return f"Customer care: {incident.kind.replace('_', ' ')}. Goodwill: {result.summary} ({reason}). {told}"


def _unnamed_skus(incident: Incident, order: dict) -> list[str]:
    """The items the message names that the order's lines do not (a wrongly packed item, usually)."""
    named = {line.get("sku") for line in order.get("lines", []) if line.get("name")}
    facts = incident.facts or {}
    return [s for s in (*facts.get("expected_skus", ()), *facts.get("sent_skus", ())) if s not in named]


def _metadata_key(incident: Incident) -> str:
    return incident.kind + (f".{incident.fulfillment_id}" if incident.fulfillment_id else "")


def _decimal(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))
