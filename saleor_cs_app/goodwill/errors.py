"""How a goodwill step can fail: worth retrying, or not."""

from __future__ import annotations


class GoodwillFailed(Exception):
    """Saleor refused the offer for a reason retrying will not fix; shown to the merchant."""


def raise_for_errors(operation: str, payload: dict | None) -> dict:
    """Saleor's mutation payload `errors[]` (HTTP 200) becomes GoodwillFailed."""
    if payload is None:
        raise GoodwillFailed(f"{operation}: Saleor returned nothing")
    errors = payload.get("errors") or []
    if errors:
        described = "; ".join(f"{e.get('field') or 'input'}: {e.get('message')} ({e.get('code')})" for e in errors)
        raise GoodwillFailed(f"{operation} refused: {described}")
    return payload
