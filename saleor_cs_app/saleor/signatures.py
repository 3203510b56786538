"""Verification of what Saleor signs: webhook bodies (detached JWS) and dashboard tokens (JWT).

Saleor signs with PyJWT: `api_jws.encode(body, key, "RS256", headers={"kid", "crit": ["b64"]},
is_payload_detached=True)` (saleor/core/jwt_manager.py), and the dashboard token with
`create_access_token_for_app` (saleor/core/jwt.py). Both verify against
`<saleor origin>/.well-known/jwks.json`.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import lru_cache

import jwt
from jwt import PyJWKSet
from jwt.exceptions import InvalidTokenError, PyJWKSetError


class SignatureInvalid(Exception):
    """The signature does not verify with any key we know."""


class UnknownKey(SignatureInvalid):
    """Signed with a key id the cached JWKS does not have: refetching may help."""


@lru_cache(maxsize=256)
def _keys(jwks_text: str) -> dict[str, object]:
    # Parsing RSA keys costs more than verifying, so parsed sets are cached by content.
    try:
        key_set = PyJWKSet.from_dict(json.loads(jwks_text))
    except (PyJWKSetError, ValueError, TypeError, KeyError):
        return {}
    return {k.key_id: k.key for k in key_set.keys if k.key_id}


def _key_for(token: str, jwks_text: str):
    try:
        header = jwt.get_unverified_header(token)
    except InvalidTokenError:
        raise SignatureInvalid("signature is not a JWS") from None
    if header.get("alg") != "RS256":
        raise SignatureInvalid("signature algorithm is not RS256")
    key = _keys(jwks_text).get(header.get("kid"))
    if key is None:
        raise UnknownKey("signature key id is not in the JWKS")
    return key


def verify_webhook_signature(signature: str, body: bytes, jwks_text: str) -> None:
    """Verify Saleor's detached JWS over the raw body bytes."""
    key = _key_for(signature, jwks_text)
    try:
        jwt.api_jws.decode(signature, key=key, algorithms=["RS256"], detached_payload=body)
    except InvalidTokenError:
        raise SignatureInvalid("signature does not match the body") from None


def verify_dashboard_token(token: str, jwks_text: str, *, issuer: str, now: datetime) -> dict:
    """Verify a dashboard user's app token; returns its claims.

    Expiry is checked here against `now`, the app's clock (PyJWT would read the wall clock)."""
    key = _key_for(token, jwks_text)
    try:
        claims = jwt.decode(
            token,
            key=key,
            algorithms=["RS256"],
            issuer=issuer,
            options={
                "require": ["exp", "iat"],
                "verify_aud": False,
                "verify_exp": False,
                "verify_iat": False,
                "verify_nbf": False,
            },
        )
    except InvalidTokenError as exc:
        raise SignatureInvalid(f"token invalid: {exc}") from None
    _check_validity_period(claims, now.timestamp())
    return claims


def _check_validity_period(claims: dict, now: float) -> None:
    # The same rules as PyJWT's own checks (no leeway), on the given time.
    try:
        issued_at, expires_at = int(claims["iat"]), int(claims["exp"])
        not_before = int(claims.get("nbf", issued_at))
    except (ValueError, TypeError, OverflowError):
        raise SignatureInvalid("token invalid: iat, nbf and exp must be integers") from None
    if expires_at <= now:
        raise SignatureInvalid("token expired")
    if max(issued_at, not_before) > now:
        raise SignatureInvalid("token invalid: the token is not yet valid")
