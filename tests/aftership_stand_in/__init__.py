"""A stand-in for AfterShip's tracking API 2025-01 and its webhooks, as its public docs describe them.

- Auth: the `as-api-key` header; a wrong or missing key answers 401 with meta.code 401.
- Every answer is `{"meta": {"code", "message", "type"}, "data": …}`.
- POST /trackings creates a tracking (201); the same tracking_number (and slug) again answers
  400 with meta.code 4003 "Tracking already exists."; no tracking_number answers 400 with 4005 (invalid).
- GET /trackings?tracking_numbers=… lists matching trackings under data.trackings.
- Rate limit: `throttle(times, retry_after)` answers 429 (meta.code 429, TooManyRequests) with
  `Retry-After` and `as-rate-limit-reset`; `fail_next(times, status=503)` answers 5xx.
- Webhooks are signed like AfterShip's: header `aftership-hmac-sha256`, base64 HMAC-SHA256 of
  the raw body with the webhook secret; bodies carry event, event_id, ts and msg (the tracking).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import uuid
from datetime import datetime, timezone

import requests
from werkzeug.wrappers import Request, Response

from tests.stand_in_server import LoopbackStandIn

PREFIX = "/tracking/2025-01"


def _detect_slug(number: str) -> str:
    """AfterShip detects the courier from the number; the stand-in knows two shapes."""
    return "dhl" if number.upper().startswith(("JJD", "00340")) else "postnord"


class AfterShipStandIn(LoopbackStandIn):
    def __init__(self, api_key: str = "as-test-key", webhook_secret: str = "as-webhook-secret", clock=None):
        # AfterShip's "now" (the test clock) for created_at and the rate-limit reset.
        self.clock = clock or (lambda: datetime.now(timezone.utc))
        self.api_key = api_key
        self.webhook_secret = webhook_secret
        self.trackings: dict[str, dict] = {}
        self.requests: list[tuple[str, str]] = []  # (method, path) of authenticated calls
        self.create_calls = 0
        self._failures: list[list] = []  # [remaining, status, retry_after]
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"{self.base}{PREFIX}"

    def throttle(self, times: int = 1, retry_after: int = 1) -> None:
        self._failures.append([times, 429, retry_after])

    def fail_next(self, times: int = 1, status: int = 503) -> None:
        self._failures.append([times, status, None])

    # -- the API --------------------------------------------------------------------------
    def _handle(self, request: Request) -> Response:
        if request.headers.get("as-api-key") != self.api_key:
            return _answer(401, "Invalid API key.", "Unauthorized")
        with self._lock:
            self.requests.append((request.method, request.path))
            failure = next((f for f in self._failures if f[0] > 0), None)
            if failure is not None:
                failure[0] -= 1
                if failure[1] == 429:
                    reset = int(self.clock().timestamp()) + failure[2]
                    headers = {"Retry-After": str(failure[2]), "as-rate-limit-reset": str(reset)}
                    return _answer(429, "You have exceeded the API call rate limit.", "TooManyRequests", headers=headers)
                return _answer(failure[1], "Something went wrong on AfterShip's end.", "InternalError")
            if request.path == f"{PREFIX}/trackings" and request.method == "POST":
                return self._create(request)
            if request.path == f"{PREFIX}/trackings" and request.method == "GET":
                return self._list(request)
        return _answer(404, "The URI requested is invalid or the resource requested does not exist.", "NotFound")

    def _create(self, request: Request) -> Response:
        try:
            body = json.loads(request.get_data() or b"")
        except ValueError:
            return _answer(400, "Invalid JSON data.", "BadRequest", code=4001)
        number = (body or {}).get("tracking_number") if isinstance(body, dict) else None
        if not isinstance(number, str) or not number.strip():
            return _answer(400, "tracking_number is invalid.", "BadRequest", code=4005)
        self.create_calls += 1
        slug = body.get("slug") or _detect_slug(number)
        if any(t["tracking_number"] == number and t["slug"] == slug for t in self.trackings.values()):
            return _answer(400, "Tracking already exists.", "BadRequest", code=4003)
        tracking = {
            "id": uuid.uuid4().hex,
            "tracking_number": number,
            "slug": slug,
            "tag": "Pending",
            "subtag": "Pending_001",
            "subtag_message": "Pending",
            "order_number": body.get("order_number"),
            "order_id": body.get("order_id"),
            "created_at": self.clock().isoformat(timespec="seconds"),
            "checkpoints": [],
            "courier_tracking_link": f"https://track.example/{slug}/{number}",
            "latest_estimated_delivery": None,
        }
        self.trackings[tracking["id"]] = tracking
        return _answer(201, "", "Created", data=tracking)

    def _list(self, request: Request) -> Response:
        numbers = set(filter(None, (request.args.get("tracking_numbers") or "").split(",")))
        found = [t for t in self.trackings.values() if not numbers or t["tracking_number"] in numbers]
        limit = int(request.args.get("limit") or 100)
        data = {"pagination": {"total": len(found), "has_next_page": len(found) > limit}, "trackings": found[:limit]}
        return _answer(200, "", "OK", data=data)

    # -- webhooks -------------------------------------------------------------------------
    def tracking_for(self, number: str) -> dict:
        return next(t for t in self.trackings.values() if t["tracking_number"] == number)

    def webhook(
        self,
        number: str,
        tag: str,
        *,
        at: datetime,
        message: str | None = None,
        subtag: str | None = None,
        event: str = "tracking_update",
        expected_date: str | None = None,
        event_id: str | None = None,
        location: str | None = None,
    ) -> bytes:
        """The body AfterShip would POST when the tracking moves to `tag` at `at`."""
        tracking = self.tracking_for(number)
        tracking["tag"], tracking["subtag"] = tag, subtag or f"{tag}_001"
        tracking["subtag_message"] = message or tag
        tracking["checkpoints"].append(
            {"checkpoint_time": at.isoformat(), "message": message or tag, "tag": tag, "subtag": tracking["subtag"],
             "slug": tracking["slug"],
             "location": location}
        )
        if expected_date:
            tracking["latest_estimated_delivery"] = {
                "type": "specific",
                "source": "Carrier EDD",
                "datetime": expected_date,
                "datetime_min": None,
                "datetime_max": None,
            }
        body = {
            "event": event,
            "event_id": event_id or str(uuid.uuid4()),
            "is_tracking_first_tag": True,
            "msg": tracking,
            "ts": int(at.timestamp()),
        }
        return json.dumps(body).encode()

    def sign(self, body: bytes, secret: str | None = None) -> str:
        key = (secret or self.webhook_secret).encode()
        return base64.b64encode(hmac.new(key, body, hashlib.sha256).digest()).decode()

    def deliver(self, url: str, body: bytes, *, signature: str | None = "sign") -> requests.Response:
        headers = {"Content-Type": "application/json"}
        if signature == "sign":
            headers["aftership-hmac-sha256"] = self.sign(body)
        elif signature is not None:
            headers["aftership-hmac-sha256"] = signature
        return requests.post(url, data=body, headers=headers, timeout=10)


def _answer(status: int, message: str, type_: str, *, code: int | None = None, data=None, headers=None) -> Response:
    body = {"meta": {"code": code or status, "message": message, "type": type_}, "data": data if data is not None else {}}
    return Response(json.dumps(body), status=status, mimetype="application/json", headers=headers or {})
