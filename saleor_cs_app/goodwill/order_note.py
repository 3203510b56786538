"""What staff see on the order: a note saying what the customer was told and given, and the
incident in the order's private metadata."""

from __future__ import annotations

import json

from saleor_cs_app.goodwill.errors import raise_for_errors
from saleor_cs_app.saleor.client import SaleorClient


def note_marker(incident_id: str, about: str | None = None) -> str:
    """What makes a note findable on a retry: the incident's first note, or one note per `about`
    (e.g. each follow-up e-mail). The first note's form is what orders already noted carry."""
    return f"(customer care incident {incident_id}" + (f", {about})" if about else ")")


def add_note_once(
    client: SaleorClient, *, original: dict, incident_id: str, message: str, about: str | None = None
) -> None:
    marker = note_marker(incident_id, about)
    if any(marker in (event.get("message") or "") for event in original.get("events") or []):
        return
    payload = client.execute("OrderNoteAdd", {"order": original["id"], "message": f"{message} {marker}"})
    raise_for_errors("orderNoteAdd", payload.get("orderNoteAdd"))


def record_incident(client: SaleorClient, *, order_id: str, incident_key: str, summary: dict) -> None:
    # Setting the same key again is idempotent.
    payload = client.execute(
        "UpdatePrivateMetadata",
        {"id": order_id, "input": [{"key": f"saleor-cs-app.incident.{incident_key}", "value": json.dumps(summary)}]},
    )
    raise_for_errors("updatePrivateMetadata", payload.get("updatePrivateMetadata"))
