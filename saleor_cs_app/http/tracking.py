"""POST /api/tracking/aftership/<id>: the merchant's AfterShip webhooks (thin transport)."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from saleor_cs_app.http.runtime import current_runtime
from saleor_cs_app.tracking.aftership.receive import receive

blueprint = Blueprint("tracking", __name__)


@blueprint.post("/api/tracking/aftership/<public_id>")
def aftership_webhook(public_id: str):
    outcome = receive(current_runtime(), public_id, request.headers, request.get_data(cache=False))
    return jsonify(success=True, outcome=outcome)
