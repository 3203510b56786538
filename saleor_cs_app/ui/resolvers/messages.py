"""Customer messages: the picker's options and the live preview of an override."""

from __future__ import annotations

from dataclasses import replace

import strawberry
from strawberry.scalars import JSON

from saleor_cs_app.care import situations
from saleor_cs_app.care.model import MESSAGE_KINDS
from saleor_cs_app.care.model import OfferType as Offer
from saleor_cs_app.notify.context import SHIPPED_LANGUAGES, MessageContext, sample_context
from saleor_cs_app.notify import outbox
from saleor_cs_app.notify.outbox import sender
from saleor_cs_app.notify.render import TEMPLATE_VARIABLES, render_message
from saleor_cs_app.store import brands, policies
from saleor_cs_app.ui import shop_sample
from saleor_cs_app.ui.errors import ApiError
from saleor_cs_app.ui.message_types import BuiltinMessage, MessageCatalog, MessagePreview, TemplateVariable
from saleor_cs_app.ui.types import IncidentKind, OfferType


def message_catalog(info: strawberry.Info) -> MessageCatalog:
    runtime, tenant_id = info.context.runtime, info.context.caller.tenant_id
    shop = shop_sample.shop_of(runtime, tenant_id)
    order = shop_sample.recent_order(runtime, tenant_id)
    return MessageCatalog(
        kinds=[k.value for k in MESSAGE_KINDS],
        languages=list(SHIPPED_LANGUAGES),
        offers=[o.value for o in Offer],
        variables=[TemplateVariable(name=k, description=v) for k, v in TEMPLATE_VARIABLES.items()],
        shop_name=shop.name,
        currencies=list(shop.currencies),
        sample_order=order.number if order else None,
        sample_currency=order.currency if order else None,
    )


def builtin_message(info: strawberry.Info, kind: IncidentKind, language: str, offer: OfferType) -> BuiltinMessage:
    """The built-in subject and text with {{ variables }}, for the override editor to start from."""
    _fitting(kind, offer)
    template = shop_sample.builtin_as_template(_shop_context(info, kind, _language(language), offer, None, False))
    return BuiltinMessage(subject=template["subject"], text=template["text"])


def _language(language: str) -> str:
    if language not in SHIPPED_LANGUAGES:
        raise ApiError(f"No messages in {language!r}; choose one of {', '.join(SHIPPED_LANGUAGES)}")
    return language


def _fitting(kind: IncidentKind, offer: OfferType) -> None:
    # The picker offers only the pairs a policy may give (messageCatalog's policy.offerFit); no message is
    # written for the others, so a caller asking for one gets the reason, not a failed render.
    reason = situations.why_unfit(kind, offer)
    if reason is not None:
        raise ApiError(f"There is no message for this offer: {reason}")


def _shop_context(info, kind, language, offer, currency, shipped_now) -> MessageContext:
    runtime, tenant_id = info.context.runtime, info.context.caller.tenant_id
    sample = sample_context(kind, offer, language, shipped_now=shipped_now, today=runtime.clock().date())
    with runtime.db.read() as session:
        policy = policies.load(session, tenant_id)
        _from, reply_to = sender(policy, runtime.settings)
        brand_row = brands.find(session, tenant_id)
        own_name = brand_row.name if brand_row is not None else None
        brand = outbox.brand_of(session, policy, runtime.settings, tenant_id) if brand_row is not None else None
    sample = replace(sample, reply_to=reply_to)
    shop = shop_sample.shop_of(runtime, tenant_id)
    ctx = shop_sample.from_the_shop(sample, shop, shop_sample.recent_order(runtime, tenant_id), currency)
    if brand is None:
        return ctx
    # The merchant's brand heads the preview as it heads the e-mails (notify/outbox.py).
    return replace(
        ctx,
        shop_name=own_name or ctx.shop_name,
        brand_accent=brand.accent,
        brand_logo_url=outbox.brand_logo_url(runtime.settings, brand),
    )


def preview_message(
    info: strawberry.Info,
    kind: IncidentKind,
    language: str,
    offer: OfferType,
    override: JSON | None = None,
    shipped_now: bool = False,
    currency: str | None = None,
) -> MessagePreview:
    """The message with the shop's own name, currency and latest order (sample values for the rest);
    with `override` ({subject, text, html}) the merchant's version."""
    _language(language)
    if not shipped_now:  # a follow-up offers nothing new (notify/render.py)
        _fitting(kind, offer)
    if override is not None and not isinstance(override, dict):
        raise ApiError("override must be an object with subject, text and html")
    parts = {k: v for k, v in (override or {}).items() if v not in (None, "")}
    try:
        ctx = _shop_context(info, kind, language, offer, (currency or "").strip().upper()[:3] or None, shipped_now)
        rendered = render_message(ctx, parts or None)
    except ValueError as exc:
        raise ApiError(str(exc)) from None
    return MessagePreview(
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        language=rendered.language,
        override_error=rendered.override_error,
    )
