"""The pages the dashboard iframes: an HTML shell each; everything else is static JS calling /graphql."""

from __future__ import annotations

from flask import make_response, render_template

from saleor_cs_app.http.runtime import current_runtime

# Scripts and styles only from the app itself; the e-mail preview iframe is sandboxed and inherits
# this policy, so merchant HTML cannot load anything from the network either.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; frame-src 'self' about:; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'"
)


def _page(template: str):
    manifest_url = f"{current_runtime().settings.app_url}/api/manifest"
    response = make_response(render_template(template, manifest_url=manifest_url))
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response


def dashboard():
    return _page("dashboard.html")


def report():
    return _page("report.html")


def order_widget():
    return _page("order_widget.html")
