"""A stand-in for DHL's Shipment Tracking – Unified API, as developer.dhl.com describes it.

- GET /track/shipments?trackingNumber=… with the `DHL-API-Key` header; a wrong key answers 401.
- Errors are RFC 7807 problem documents (`application/problem+json`: title, status, detail).
- An unknown number answers 404 "No shipment with given tracking number found."
- `throttle(times, retry_after)` answers 429 with Retry-After, as the rate limit does.
- A known shipment: {"shipments": [{"id", "service", "status": {"timestamp", "statusCode",
  "status", "description"}, "estimatedTimeOfDelivery", "events": [...]}]}.
"""

from __future__ import annotations

import json
from datetime import datetime

from werkzeug.wrappers import Request, Response

from tests.stand_in_server import LoopbackStandIn


class DhlStandIn(LoopbackStandIn):
    def __init__(self, api_key: str = "dhl-test-key"):
        self.api_key = api_key
        self.shipments: dict[str, dict] = {}
        self.calls = 0
        self._throttle: list[int] = [0, 0]  # remaining, retry_after

    @property
    def url(self) -> str:
        return f"{self.base}/track/shipments"

    def throttle(self, times: int = 1, retry_after: int = 60) -> None:
        self._throttle = [times, retry_after]

    def move(self, number: str, status_code: str, description: str, *, at: datetime, eta: str | None = None) -> None:
        """The shipment's latest event (statusCode: pre-transit | transit | delivered | failure | unknown)."""
        shipment = self.shipments.setdefault(number, {"id": number, "service": "parcel-de", "events": []})
        event = {"timestamp": at.isoformat(), "statusCode": status_code, "status": status_code.upper(), "description": description}
        shipment["status"] = event
        shipment["events"].insert(0, event)
        if eta:
            shipment["estimatedTimeOfDelivery"] = eta

    def _handle(self, request: Request) -> Response:
        if request.path != "/track/shipments" or request.method != "GET":
            return _problem(404, "Not Found", "No such resource")
        if request.headers.get("DHL-API-Key") != self.api_key:
            return _problem(401, "Unauthorized", "Invalid API key")
        self.calls += 1
        if self._throttle[0] > 0:
            self._throttle[0] -= 1
            response = _problem(429, "Too many requests", "Too many requests within defined time period")
            response.headers["Retry-After"] = str(self._throttle[1])
            return response
        number = request.args.get("trackingNumber", "")
        if number not in self.shipments:
            return _problem(404, "No shipment with given tracking number found.", f"No shipment found for {number}")
        return Response(json.dumps({"shipments": [self.shipments[number]]}), mimetype="application/json")


def _problem(status: int, title: str, detail: str) -> Response:
    body = json.dumps({"type": "about:blank", "title": title, "status": status, "detail": detail})
    return Response(body, status=status, mimetype="application/problem+json")
