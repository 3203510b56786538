"""Customer messages: the one place the rest of the app asks for a subject, a text and an HTML body.

render_message(ctx)             the built-in message in ctx.language
render_message(ctx, override)   the merchant's templates, sandboxed; built-in on any failure
preview(kind, language, offer)  the same with sample values, for the live preview in the UI
render_situation(situation, language, variables)
                                a message of the support conversation (report received, an answer to
                                the customer's proposal or request), built-in, same layout
"""

from __future__ import annotations

from dataclasses import dataclass

from saleor_cs_app.care.model import IncidentKind, OfferType
from saleor_cs_app.care.situations import why_unfit
from saleor_cs_app.notify.builtin import render_builtin
from saleor_cs_app.notify.context import SHIPPED_LANGUAGES, MessageContext, sample_context
from saleor_cs_app.notify.language import pick_language
from saleor_cs_app.notify.override import OverrideError, render_override
from saleor_cs_app.notify.variables import (
    SITUATION_VARIABLES,
    SITUATIONS,
    TEMPLATE_VARIABLES,
    situation_variables,
    template_variables,
)

__all__ = [
    "SITUATIONS",
    "SITUATION_VARIABLES",
    "TEMPLATE_VARIABLES",
    "RenderedMessage",
    "preview",
    "render_message",
    "render_situation",
]

# Offers the customer can only use with a code: a message without the code would be useless.
_OFFERS_WITH_CODE = (OfferType.GIFT_CARD, OfferType.FREE_SHIPPING_VOUCHER)


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    text: str
    html: str
    language: str
    override_error: str | None = None  # why the merchant's override was not used, if it was given


def check_complete(ctx: MessageContext) -> None:
    """Refuse to write a message that would promise something it cannot show."""
    if ctx.language not in SHIPPED_LANGUAGES:
        raise ValueError(f"no messages in language {ctx.language!r}; use notify.language.pick_language")
    if ctx.shipped_now:
        return  # the follow-up only reminds of a code when there is one; it offers nothing new
    unfit = why_unfit(ctx.kind, ctx.offer_type)
    if unfit is not None:
        raise ValueError(unfit)
    if ctx.offer_type in _OFFERS_WITH_CODE and not (ctx.offer_code or "").strip():
        raise ValueError(f"a {ctx.offer_type} message needs the offer code")
    if ctx.offer_type is OfferType.PARTIAL_REFUND and ctx.refund_amount is None:
        raise ValueError("a partial_refund message needs refund_amount")


def render_message(ctx: MessageContext, override: dict | None = None) -> RenderedMessage:
    check_complete(ctx)
    variables = template_variables(ctx)
    override_error = None
    if override is not None:
        try:
            subject, text, html = render_override(override, variables)
            return RenderedMessage(subject=subject, text=text, html=html, language=ctx.language)
        except OverrideError as e:
            override_error = str(e)
    subject, text, html = render_builtin(variables)
    return RenderedMessage(subject=subject, text=text, html=html, language=ctx.language, override_error=override_error)


def preview(
    kind: IncidentKind | str,
    language: str,
    offer_type: OfferType | str,
    override: dict | None = None,
    *,
    shipped_now: bool = False,
) -> RenderedMessage:
    return render_message(sample_context(kind, offer_type, language, shipped_now=shipped_now), override)


def render_situation(situation: str, language: str, variables: dict) -> RenderedMessage:
    """The built-in message for one step of the support conversation.

    `language` may be any code ("fi", "FI_FI"); one we do not ship falls back to English, and the
    returned message's `language` says which was used. Unknown variables or situations: ValueError."""
    shipped = pick_language(language, None)
    subject, text, html = render_builtin(situation_variables(situation, shipped, variables))
    return RenderedMessage(subject=subject, text=text, html=html, language=shipped)
