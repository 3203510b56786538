"""Customer messages: the picker's options and the live preview of an override."""

from __future__ import annotations

import strawberry
from strawberry.scalars import JSON

from saleor_cs_app.care.model import MESSAGE_KINDS
from saleor_cs_app.care.model import OfferType as Offer
from saleor_cs_app.notify.context import SHIPPED_LANGUAGES
from saleor_cs_app.notify.render import TEMPLATE_VARIABLES, preview
from saleor_cs_app.ui.errors import ApiError
from saleor_cs_app.ui.types import IncidentKind, MessageCatalog, MessagePreview, OfferType, TemplateVariable


def message_catalog(info: strawberry.Info) -> MessageCatalog:
    return MessageCatalog(
        kinds=[k.value for k in MESSAGE_KINDS],
        languages=list(SHIPPED_LANGUAGES),
        offers=[o.value for o in Offer],
        variables=[TemplateVariable(name=k, description=v) for k, v in TEMPLATE_VARIABLES.items()],
    )


def preview_message(
    info: strawberry.Info,
    kind: IncidentKind,
    language: str,
    offer: OfferType,
    override: JSON | None = None,
    shipped_now: bool = False,
) -> MessagePreview:
    """The message with sample values; with `override` ({subject, text, html}) the merchant's version."""
    if language not in SHIPPED_LANGUAGES:
        raise ApiError(f"No messages in {language!r}; choose one of {', '.join(SHIPPED_LANGUAGES)}")
    if override is not None and not isinstance(override, dict):
        raise ApiError("override must be an object with subject, text and html")
    parts = {k: v for k, v in (override or {}).items() if v not in (None, "")}
    try:
        rendered = preview(kind, language, offer, parts or None, shipped_now=shipped_now)
    except ValueError as exc:
        raise ApiError(str(exc)) from None
    return MessagePreview(
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        language=rendered.language,
        override_error=rendered.override_error,
    )
