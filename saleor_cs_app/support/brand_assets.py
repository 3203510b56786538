"""The shop's logo and accent stylesheet, public (a brand is no secret), cached for good under their version."""

from __future__ import annotations

from flask import make_response

from saleor_cs_app.care.brand import normal_hex
from saleor_cs_app.http.runtime import current_runtime
from saleor_cs_app.store import brands

_NOT_FOUND = ("", 404)


def logo(tenant_id: int, version: int):
    with current_runtime().db.read() as session:
        row = brands.find(session, tenant_id)
        found = (row.logo, row.logo_type) if row is not None and row.logo and row.version == version else None
    if found is None:
        return _NOT_FOUND
    response = make_response(found[0])
    response.headers["Content-Type"] = found[1]
    return _cached(response)


def accent_css(tenant_id: int, version: int):
    """The accent as the page's --accent in light mode; the dark palette keeps its own lighter blue, since a
    colour that reads on white rarely reads on the dark card."""
    with current_runtime().db.read() as session:
        row = brands.find(session, tenant_id)
        accent = normal_hex(row.accent) if row is not None and row.accent and row.version == version else None
    if accent is None:
        return _NOT_FOUND
    css = (
        f":root {{ --accent: {accent}; }}\n"
        f".bar {{ background: {accent}; }}\n"
        "@media (prefers-color-scheme: dark) { :root { --accent: #8ab4f8; } }\n"
    )
    response = make_response(css)
    response.headers["Content-Type"] = "text/css; charset=utf-8"
    return _cached(response)


def _cached(response):
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
