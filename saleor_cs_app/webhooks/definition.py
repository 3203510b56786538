"""What a webhook is: its Saleor event, its subscription query and its handler.

The registry of definitions feeds both the manifest and the router, so a
webhook is declared exactly once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from saleor_cs_app.saleor.documents import with_fragments

if TYPE_CHECKING:
    from saleor_cs_app.webhook_context import WebhookContext

SUBSCRIPTIONS = Path(__file__).parent / "subscriptions"


@dataclass(frozen=True)
class WebhookDefinition:
    name: str  # URL path segment and manifest name, e.g. "order-created"
    event: str  # Saleor's WebhookEventTypeAsyncEnum, e.g. "ORDER_CREATED"
    subscription: str  # file in subscriptions/
    handle: Callable[[WebhookContext, dict], None]

    @property
    def header_event(self) -> str:
        """The `Saleor-Event` header value: the enum in lowercase."""
        return self.event.lower()

    @cached_property
    def query(self) -> str:
        """The subscription document with the shared fragments it uses appended."""
        return with_fragments((SUBSCRIPTIONS / self.subscription).read_text())
