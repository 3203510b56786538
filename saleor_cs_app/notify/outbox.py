"""The outbox: every customer message is a row, reserved with the decision and filled in
once the goodwill exists, so a message never goes out with an empty code and
never twice (one row per incident and purpose)."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from decimal import Decimal
from email.utils import formataddr, parseaddr

from sqlalchemy import select
from sqlalchemy.orm import Session

from saleor_cs_app.care import promises
from saleor_cs_app.care.model import IncidentKind, OfferType
from saleor_cs_app.care.policy import Policy
from saleor_cs_app.goodwill.carry_out import GoodwillResult
from saleor_cs_app.links import brand_asset_url, support_url
from saleor_cs_app.notify.context import MessageContext
from saleor_cs_app.notify.language import language_fallback, pick_language
from saleor_cs_app.notify.plan import carrier_date_to_state
from saleor_cs_app.notify.render import render_message
from saleor_cs_app.notify.smtp import make_message_id
from saleor_cs_app.settings import Settings
from saleor_cs_app.store import brands
from saleor_cs_app.store import incidents as incident_store
from saleor_cs_app.store.brands import Brand
from saleor_cs_app.store.models import Incident, OutboxMessage, Tenant, TrackedOrder
from saleor_cs_app.watch.opening import rules_for
from saleor_cs_app.watch.snapshot import parse_time

NO_EMAIL = "The order has no e-mail address to write to"  # ui/event_facts.py reads it
HEADS_UP_OFF = "No heads-up to the customer: the policy's detection.at_risk.notify_customer is off"


INITIAL = "initial"
SHIPPED = "shipped"


def sender(policy: Policy, settings: Settings) -> tuple[str, str | None]:
    """(From header, Reply-To address): the merchant's sender from the policy, else MAIL_FROM."""
    if policy.sender is not None:
        return formataddr((policy.sender.name, policy.sender.email)), policy.sender.email
    return settings.mail_from, parseaddr(settings.mail_from)[1] or None


def reserve_initial_message(
    session: Session, incident: Incident, tracked: TrackedOrder, policy: Policy, settings: Settings, now: datetime
) -> OutboxMessage | None:
    """The row for the first message, written in the decision's transaction; its body comes later."""
    if incident.kind == IncidentKind.AT_RISK.value and not policy.detection.at_risk.notify_customer:
        # The merchant's flag only: the policy sends a heads-up only when it asks for one.
        incident_store.add_event(session, incident, now, "no_heads_up", HEADS_UP_OFF)
        return None
    email = tracked.facts.get("customer_email")
    if not email:
        incident_store.add_event(session, incident, now, "no_email", NO_EMAIL)
        return None
    mail_from, _ = sender(policy, settings)
    language = pick_language(tracked.facts.get("language_code"), tracked.facts.get("channel_country"))
    fallback = language_fallback(tracked.facts.get("language_code"), tracked.facts.get("channel_country"), language)
    if fallback:
        incident_store.add_event(session, incident, now, "language_fallback", fallback)
    row = _new_row(incident, INITIAL, language, mail_from, email, now)
    session.add(row)
    session.flush()
    return row


def _new_row(incident: Incident, purpose: str, language: str, mail_from: str, mail_to: str, now: datetime):
    """An outbox row whose body is filled in later (state `waiting`)."""
    return OutboxMessage(
        tenant_id=incident.tenant_id,
        incident_id=incident.id,
        purpose=purpose,
        language=language,
        mail_from=mail_from,
        mail_to=mail_to,
        subject="",
        text="",
        html="",
        message_id=make_message_id(parseaddr(mail_from)[1].rpartition("@")[2] or "localhost"),
        state="waiting",
        next_attempt_at=now,
        created_at=now,
    )


def compose_initial_message(
    session: Session,
    incident: Incident,
    goodwill,
    settings: Settings,
    now: datetime,
    *,
    item_names: dict[str, str] | None = None,
):
    """Render the reserved message now that the goodwill (and its code) exists.

    `item_names`: SKU → product name from Saleor's catalogue, for items the order's lines do not name
    (a wrongly packed item usually is not in the order)."""
    from saleor_cs_app.store import orders, policies

    row = session.scalar(
        select(OutboxMessage)
        .where(OutboxMessage.incident_id == incident.id, OutboxMessage.purpose == INITIAL)
        .with_for_update()
    )
    if row is None:
        return None
    if row.state != "waiting":
        return row  # composed by an earlier attempt
    policy = policies.load(session, incident.tenant_id)
    tracked = orders.find(session, incident.tenant_id, incident.order_id)
    link = _support_url(session, settings, incident, now)
    ctx = message_context(
        incident, tracked, policy, settings, row.language, goodwill=goodwill, support_url=link, item_names=item_names,
        brand=brand_of(session, policy, settings, incident.tenant_id), today=shop_day(policy, tracked, now),
    )  # fmt: skip
    _fill(session, row, incident, policy, ctx, now)
    return row


def queue_shipped_message(
    session: Session, incident: Incident, tracked: TrackedOrder, policy: Policy, settings: Settings, now: datetime
) -> OutboxMessage | None:
    """The late order shipped: tell the customer once, with tracking when there is one."""
    initial = session.scalar(
        select(OutboxMessage).where(OutboxMessage.incident_id == incident.id, OutboxMessage.purpose == INITIAL)
    )
    if initial is None or initial.state not in ("sent", "dry_run"):
        return None  # the customer never heard about the delay, so there is nothing to follow up
    exists = session.scalar(
        select(OutboxMessage.id).where(OutboxMessage.incident_id == incident.id, OutboxMessage.purpose == SHIPPED)
    )
    if exists is not None:
        return None
    row = _new_row(incident, SHIPPED, initial.language, initial.mail_from, initial.mail_to, now)
    session.add(row)
    link = _support_url(session, settings, incident, now)
    ctx = message_context(
        incident,
        tracked,
        policy,
        settings,
        initial.language,
        goodwill=recorded_goodwill(incident),
        shipped_now=True,
        support_url=link,
        brand=brand_of(session, policy, settings, incident.tenant_id),
        today=shop_day(policy, tracked, now),
    )
    # "Your code from our e-mail of 8 March": the day the customer got it, in the shop's first message.
    sent_on = shop_day(policy, tracked, initial.sent_at or initial.created_at)
    ctx = dataclasses.replace(ctx, first_message_on=sent_on)
    _fill(session, row, incident, policy, ctx, now)
    session.flush()
    return row


def _fill(
    session: Session, row: OutboxMessage, incident: Incident, policy: Policy, ctx: MessageContext, now: datetime
) -> None:
    override = _override(policy, incident.kind, row.language) if not ctx.shipped_now else None
    rendered = render_message(ctx, override)
    if rendered.override_error:
        incident_store.add_event(
            session,
            incident,
            now,
            "template_error",
            f"Your {incident.kind} template ({row.language}) failed, the built-in message was used: {rendered.override_error}",
        )
    row.subject, row.text, row.html = rendered.subject, rendered.text, rendered.html
    row.state, row.next_attempt_at = "pending", now


def _override(policy: Policy, kind: str, language: str) -> dict | None:
    template = policy.templates.get(kind, {}).get(language)
    return template.model_dump(exclude_none=True) if template is not None else None


def message_context(
    incident: Incident,
    tracked: TrackedOrder,
    policy: Policy,
    settings: Settings,
    language: str,
    *,
    goodwill,
    shipped_now: bool = False,
    support_url: str | None = None,
    item_names: dict[str, str] | None = None,
    brand: Brand | None = None,
    today: date | None = None,
) -> MessageContext:
    """`today`: the shop's local day the words are for; a carrier date before it is not stated."""
    facts, order = incident.facts or {}, tracked.facts
    # The carrier's moments are told as days where the shop keeps its promises, as the page's scans are.
    zone = promises.zone_of(rules_for(policy, tracked))
    carrier_status_at = parse_time(facts.get("carrier_status_at"))
    promised = date.fromisoformat(facts["promised_date"]) if facts.get("promised_date") else None
    carrier_expected = carrier_date_to_state(
        incident.kind,
        date.fromisoformat(facts["carrier_expected_date"]) if facts.get("carrier_expected_date") else None,
        promised,
        today or date.min,
    )
    # One estimate in a heads-up: the carrier's own date, when it is stated, instead of ours.
    estimate = date.fromisoformat(facts["new_expectation"]) if facts.get("new_expectation") else None
    if carrier_expected is not None and incident.kind == IncidentKind.AT_RISK:
        estimate = None
    decision_offer = (incident.decision or {}).get("offer", {})
    offer_type = OfferType(incident.offer_type or OfferType.APOLOGY_ONLY.value)
    names = {**(item_names or {}), **{l.get("sku"): l.get("name") for l in order.get("lines", []) if l.get("name")}}
    fulfilments = order.get("fulfillments", {})
    fulfilment = fulfilments.get(incident.fulfillment_id) or next(
        (f for f in fulfilments.values() if f.get("tracking_number")), {}
    )
    _, reply_to = sender(policy, settings)
    tracking = fulfilment.get("tracking_number") or facts.get("tracking_number")
    code = goodwill.code if goodwill is not None else None
    amount = {
        OfferType.GIFT_CARD: decision_offer.get("gift_card_amount"),
        OfferType.FREE_SHIPPING_VOUCHER: decision_offer.get("value"),
    }.get(offer_type)
    return MessageContext(
        shop_name=brand.name if brand is not None else _shop_name(policy, settings),
        brand_accent=brand.accent if brand is not None else None,
        brand_logo_url=brand_logo_url(settings, brand),
        order_number=tracked.number,
        kind=incident.kind,
        offer_type=offer_type,
        language=language,
        currency=order.get("currency") or incident.currency or "USD",
        customer_first_name=order.get("customer_first_name"),
        promised_date=promised,
        new_expectation=estimate,
        heads_up_on=date.fromisoformat(facts["heads_up_on"]) if facts.get("heads_up_on") else None,
        days_late=incident.days_late,
        offer_amount=Decimal(str(amount)) if amount not in (None, "") else None,
        offer_code=code or None,
        offer_expires_on=goodwill.expires_on if goodwill is not None else None,
        offer_product_name=goodwill.product_name if goodwill is not None else None,
        # 0 % is no discount: the wrong item is simply theirs to keep, never "we'll refund 0 %".
        keep_item_discount_percent=_int(decision_offer.get("keep_item_discount_percent")) or None,
        refund_amount=Decimal(str(decision_offer["refund_amount"])) if decision_offer.get("refund_amount") else None,
        expected_items=_named(facts.get("expected_skus"), names),
        sent_items=_named(facts.get("sent_skus"), names),
        tracking_number=tracking,
        # Saleor's dashboard lets staff paste the carrier's tracking link as the "number".
        tracking_url=facts.get("tracking_url")
        or (tracking if tracking and tracking.startswith(("https://", "http://")) else None),
        # Only a tracking source names the carrier: facts["carrier"] is the shipping method ("Standard"),
        # which the customer must never read as the company that lost their parcel.
        carrier=facts.get("carrier_name"),
        delivery_state=facts.get("delivery_state"),
        carrier_status=facts.get("carrier_status"),
        carrier_status_at=carrier_status_at.astimezone(zone) if carrier_status_at else None,
        carrier_location=facts.get("carrier_location"),
        carrier_expected_date=carrier_expected,
        reply_to=reply_to,
        support_url=support_url,
        shipped_now=shipped_now,
    )


def shop_day(policy: Policy, tracked: TrackedOrder, now: datetime) -> date:
    """The day it is where the shop keeps its promises."""
    return now.astimezone(promises.zone_of(rules_for(policy, tracked))).date()


def brand_of(session: Session, policy: Policy, settings: Settings, tenant_id: int) -> Brand:
    return brands.brand(session, tenant_id, _shop_name(policy, settings))


def brand_logo_url(settings: Settings, brand: Brand | None) -> str | None:
    if brand is None or not brand.has_logo:
        return None
    return brand_asset_url(settings, brand.tenant_id, brand.version, "logo")


def recorded_goodwill(incident: Incident) -> GoodwillResult | None:
    """The goodwill the first message gave, once created in Saleor."""
    done = (incident.decision or {}).get("goodwill")
    return None if done is None else GoodwillResult.recorded(done, incident.goodwill_code)


def _named(skus, names: dict[str, str]) -> tuple[str, ...]:
    """The items by name; empty when any is unnamed: the template then leaves out its "You received:"
    line rather than show the customer a bare SKU (or a list missing one item)."""
    skus = [s for s in skus or () if s]
    if not all(names.get(s) for s in skus):
        return ()
    return tuple(names[s] for s in skus)


def _support_url(session: Session, settings: Settings, incident: Incident, now: datetime) -> str:
    tenant = session.get_one(Tenant, incident.tenant_id)
    return support_url(settings, tenant, incident.order_id, now)


def _shop_name(policy: Policy, settings: Settings) -> str:
    if policy.sender is not None:
        return policy.sender.name
    return parseaddr(settings.mail_from)[0] or parseaddr(settings.mail_from)[1]


def _int(value) -> int | None:
    return None if value in (None, "") else int(Decimal(str(value)))
