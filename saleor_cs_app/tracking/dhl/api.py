"""The one DHL call the app makes: the shipment behind a tracking number."""

from __future__ import annotations

import requests


class DhlError(Exception):
    pass


class DhlRefused(DhlError):
    """401/403/400: the key or the request is wrong; retrying will not help."""

    def __init__(self, message: str, *, status: int):
        super().__init__(message)
        self.status = status


class DhlUnavailable(DhlError):
    def __init__(self, message: str, *, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class DhlClient:
    def __init__(self, url: str, api_key: str, *, timeout: float = 15.0):
        self._url = url
        self._headers = {"DHL-API-Key": api_key, "Accept": "application/json"}
        self._timeout = timeout

    def shipment(self, tracking_number: str) -> dict | None:
        """The shipment, or None when DHL does not know the number (yet)."""
        try:
            response = requests.get(
                self._url, params={"trackingNumber": tracking_number}, headers=self._headers, timeout=self._timeout
            )
        except requests.RequestException as exc:
            raise DhlUnavailable(f"DHL unreachable: {type(exc).__name__}") from None
        if response.status_code == 404:
            return None
        problem = _problem(response)
        if response.status_code == 429:
            raise DhlUnavailable(f"DHL rate limit: {problem}", retry_after=_seconds(response.headers.get("Retry-After")))
        if response.status_code >= 500:
            raise DhlUnavailable(f"DHL {response.status_code}: {problem}")
        if response.status_code >= 400:
            raise DhlRefused(f"DHL refused ({response.status_code}): {problem}", status=response.status_code)
        shipments = (_json(response) or {}).get("shipments") or []
        return shipments[0] if shipments and isinstance(shipments[0], dict) else None

    def check(self) -> None:
        """Raises unless DHL accepts the key (an unknown number answers 404, which is fine)."""
        self.shipment("0000000000")


def _json(response):
    try:
        return response.json()
    except ValueError:
        return None


def _problem(response) -> str:
    body = _json(response) or {}
    return str(body.get("detail") or body.get("title") or response.reason or "")[:200] if isinstance(body, dict) else ""


def _seconds(value: str | None) -> float | None:
    try:
        return max(float(value), 0.0) if value is not None else None
    except ValueError:
        return None
