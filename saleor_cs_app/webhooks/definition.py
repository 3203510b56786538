"""What a webhook is: its Saleor event and its subscription query.

The registry of definitions feeds both the manifest and the router, so a
webhook is declared exactly once. What a delivery means is a flow: jobs/reactions.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from saleor_cs_app.saleor.documents import with_fragments

SUBSCRIPTIONS = Path(__file__).parent / "subscriptions"


@dataclass(frozen=True)
class WebhookDefinition:
    name: str  # URL path segment and manifest name, e.g. "order-created"
    event: str  # Saleor's WebhookEventTypeAsyncEnum, e.g. "ORDER_CREATED"
    subscription: str  # file in subscriptions/

    @property
    def header_event(self) -> str:
        """The `Saleor-Event` header value: the enum in lowercase."""
        return self.event.lower()

    @cached_property
    def query(self) -> str:
        """The subscription document with the shared fragments it uses appended."""
        return with_fragments((SUBSCRIPTIONS / self.subscription).read_text())
