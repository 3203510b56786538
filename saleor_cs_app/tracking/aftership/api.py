"""AfterShip's tracking API (2025-01), the calls the app makes: create, look up, check the key.

Errors come as `{"meta": {"code": …, "message": …, "type": …}}`; the answers the
app cares about are typed here so callers can tell "retry later" from "never".
"""

from __future__ import annotations

from dataclasses import dataclass

import requests

ALREADY_EXISTS = 4003  # meta.code of "Tracking already exists."


class AfterShipError(Exception):
    def __init__(self, message: str, *, code: int | None = None, status: int | None = None):
        super().__init__(message)
        self.code = code
        self.status = status  # the HTTP status, when AfterShip answered


class AfterShipRefused(AfterShipError):
    """A 4xx that retrying will not change (bad key, invalid tracking number)."""


class AfterShipUnavailable(AfterShipError):
    """5xx, timeouts, refused connections, or 429: try again later."""

    def __init__(self, message: str, *, code: int | None = None, retry_after: float | None = None):
        super().__init__(message, code=code)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Tracking:
    id: str
    tracking_number: str
    slug: str | None


class AfterShipClient:
    def __init__(self, base_url: str, api_key: str, *, timeout: float = 15.0):
        self._base = base_url.rstrip("/")
        self._headers = {"as-api-key": api_key, "Content-Type": "application/json"}
        self._timeout = timeout

    def create_tracking(self, *, tracking_number: str, slug: str | None, order_number: str, order_id: str) -> Tracking:
        body = {"tracking_number": tracking_number, "order_number": order_number, "order_id": order_id}
        if slug:
            body["slug"] = slug
        return _tracking(self._call("POST", "/trackings", json=body))

    def find_tracking(self, tracking_number: str) -> Tracking | None:
        data = self._call("GET", "/trackings", params={"tracking_numbers": tracking_number})
        found = [t for t in (data or {}).get("trackings") or [] if t.get("tracking_number") == tracking_number]
        return _tracking(found[0]) if found else None

    def check(self) -> None:
        """Raises unless the key is accepted."""
        self._call("GET", "/trackings", params={"limit": 1})

    def _call(self, method: str, path: str, **kwargs) -> dict:
        try:
            response = requests.request(method, self._base + path, headers=self._headers, timeout=self._timeout, **kwargs)
        except requests.RequestException as exc:
            raise AfterShipUnavailable(f"AfterShip unreachable: {type(exc).__name__}") from None
        try:
            payload = response.json()
        except ValueError:
            payload = {}
        meta = payload.get("meta") or {} if isinstance(payload, dict) else {}
        message = str(meta.get("message") or response.reason or "")[:200]
        code = meta.get("code")
        if response.status_code == 429:
            raise AfterShipUnavailable(f"AfterShip rate limit: {message}", code=code, retry_after=_retry_after(response))
        if response.status_code >= 500:
            raise AfterShipUnavailable(f"AfterShip {response.status_code}: {message}", code=code)
        if response.status_code >= 400:
            status = response.status_code
            raise AfterShipRefused(f"AfterShip refused ({code or status}): {message}", code=code, status=status)
        return payload.get("data") or {}


def _tracking(data: dict) -> Tracking:
    if not data.get("id"):
        raise AfterShipUnavailable("AfterShip answered without a tracking id")
    return Tracking(id=str(data["id"]), tracking_number=str(data.get("tracking_number", "")), slug=data.get("slug"))


def _retry_after(response) -> float | None:
    """Retry-After in seconds; AfterShip also sends as-rate-limit-reset (a Unix time)."""
    value = response.headers.get("Retry-After")
    try:
        return max(float(value), 0.0) if value is not None else None
    except ValueError:
        return None
