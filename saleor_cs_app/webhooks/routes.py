"""POST /api/webhooks/<name>: parse, call ingest.receive, map the result."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from saleor_cs_app.errors import NotFound
from saleor_cs_app.http.runtime import current_runtime
from saleor_cs_app.webhooks import by_name
from saleor_cs_app.webhooks.ingest import receive

blueprint = Blueprint("webhooks", __name__)


@blueprint.post("/api/webhooks/<name>")
def webhook(name: str):
    definition = by_name(name)
    if definition is None:
        raise NotFound(f"No webhook named {name}", code="UNKNOWN_WEBHOOK")
    received = receive(current_runtime(), definition, request.headers, request.get_data(cache=False))
    return jsonify(success=True, outcome=received.outcome)
