"""CSRF for the support forms, without a server session: a random cookie and, in each form, its MAC
bound to the page it was served for (double submit, signed). A forged cross-site POST has neither."""

from __future__ import annotations

import secrets

from flask import Request, Response

from saleor_cs_app.signing import mac, same

COOKIE = "cs_support"
FIELD = "csrf"


def cookie_value(request: Request) -> tuple[str, bool]:
    """The browser's value, or a new one (True: it must be set on the response)."""
    value = request.cookies.get(COOKIE, "")
    if 20 <= len(value) <= 64 and value.replace("-", "").replace("_", "").isalnum():
        return value, False
    return secrets.token_urlsafe(24), True


def form_token(secret_key: str, cookie: str, scope: str) -> str:
    return mac(secret_key, "csrf", cookie, scope)


def valid(secret_key: str, request: Request, scope: str) -> bool:
    cookie, sent = request.cookies.get(COOKIE, ""), request.form.get(FIELD, "")
    return bool(cookie and sent) and same(form_token(secret_key, cookie, scope), sent)


def set_cookie(response: Response, value: str, secure: bool) -> None:
    response.set_cookie(COOKIE, value, httponly=True, samesite="Lax", secure=secure, path="/support", max_age=86400)
