"""Fetching a Saleor's JWKS (`<origin>/.well-known/jwks.json`), as app-sdk does."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import requests


class JwksUnavailable(Exception):
    pass


def jwks_url(saleor_api_url: str) -> str:
    parts = urlsplit(saleor_api_url)
    return f"{parts.scheme}://{parts.netloc}/.well-known/jwks.json"


def fetch_jwks(saleor_api_url: str, *, timeout: float = 10.0) -> str:
    """Return the JWKS as text (kept as-is, like app-sdk's APL)."""
    try:
        response = requests.get(jwks_url(saleor_api_url), timeout=timeout, allow_redirects=False)
    except requests.RequestException as exc:
        raise JwksUnavailable(f"cannot reach {jwks_url(saleor_api_url)}: {type(exc).__name__}") from None
    if response.status_code != 200:
        raise JwksUnavailable(f"{jwks_url(saleor_api_url)} answered HTTP {response.status_code}")
    try:
        keys = json.loads(response.text).get("keys")
    except (ValueError, AttributeError):
        keys = None
    if not isinstance(keys, list) or not keys:
        raise JwksUnavailable(f"{jwks_url(saleor_api_url)} has no keys")
    return response.text
