"""An incident's way from detection to the customer's inbox (decide → goodwill → message)."""

from __future__ import annotations

from saleor_cs_app.runtime import Runtime


def handle(runtime: Runtime, incident_id: str) -> int | None:
    """Carry the incident as far as it can go now; returns the attempt number to retry after a failure."""
    return None


def send(runtime: Runtime, message_id: int) -> int | None:
    """Send one outbox message; returns seconds to wait before retrying, or None when settled."""
    return None
