"""Real Chromium (Debian's) driving the pages inside a page that plays the Saleor dashboard.

The host page lives on another origin, iframes the app with the query string the dashboard builds
(`?saleorApiUrl=…&id=…&theme=…`, PROTOCOL.md §f), answers `notifyReady` with a `handshake` carrying a
token the Saleor stand-in signed and the dashboard's version (`?dashboard=`, "" for none), then sends `theme` —
as the dashboard's AppIFrame does.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlencode

from flask import Flask, request

from tests.conftest import AppServer

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

HOST_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>Saleor dashboard (test host)</title><link rel="icon" href="data:,">
<style>body{margin:0;background:#f0f0f2} iframe{display:block;width:100%;height:100vh;border:0}</style></head>
<body><iframe id="app" src="__SRC__" sandbox="allow-same-origin allow-forms allow-scripts allow-downloads allow-popups"></iframe>
<script>
const token = __TOKEN__, theme = __THEME__, locale = __LOCALE__, dashboardVersion = __DASHBOARD__;
const frame = document.getElementById("app");
const appOrigin = new URL(frame.src).origin;
window.actions = [];
window.addEventListener("message", (event) => {
  if (event.origin !== appOrigin || !event.data || !event.data.payload || !event.data.payload.actionId) return;
  window.actions.push(event.data);
  if (event.data.type === "notifyReady") {
    frame.contentWindow.postMessage({type: "handshake", payload: {token, version: 1, ...(dashboardVersion ? {dashboardVersion} : {})}}, appOrigin);
    frame.contentWindow.postMessage({type: "theme", payload: {theme}}, appOrigin);
    frame.contentWindow.postMessage({type: "localeChanged", payload: {locale}}, appOrigin);
  }
  frame.contentWindow.postMessage({type: "response", payload: {actionId: event.data.payload.actionId, ok: true}}, appOrigin);
});
</script></body></html>"""


class DashboardHost:
    """GET /?path=/dashboard/&theme=dark&orderId=… → the host page around the app's page."""

    def __init__(self, app_url: str, saleor):
        self.app_url, self.saleor = app_url, saleor
        host = Flask("dashboard-host")
        host.add_url_rule("/", "page", self._page)
        self._server = AppServer(host)
        self.url = self._server.url

    def _page(self):
        query = {
            "saleorApiUrl": self.saleor.api_url,
            "id": self.saleor.app_id,
            "theme": request.args.get("theme", "light"),
            "domain": self.saleor.domain,
        }
        if request.args.get("orderId"):
            query["orderId"] = request.args["orderId"]
        src = f"{self.app_url}{request.args.get('path', '/dashboard/')}?{urlencode(query)}"
        staff = {"user_permissions": ("MANAGE_PRODUCTS",)} if request.args.get("weak") else {}
        if request.args.get("staff"):  # the staff member's permissions, comma-separated
            staff = {"user_permissions": tuple(request.args["staff"].split(","))}
        token = self.saleor.dashboard_token(**staff)
        html = (
            HOST_PAGE.replace("__SRC__", src.replace("&", "&amp;"))
            .replace("__TOKEN__", json.dumps(token))
            .replace("__THEME__", json.dumps(request.args.get("theme", "light")))
            .replace("__LOCALE__", json.dumps(request.args.get("locale", "en")))
            .replace("__DASHBOARD__", json.dumps(request.args.get("dashboard", "3.23.27")))
        )
        return html, 200, {"Content-Type": "text/html; charset=utf-8"}

    def open_url(self, path: str = "/dashboard/", **params) -> str:
        return f"{self.url}/?{urlencode({'path': path, **params})}"

    def __enter__(self):
        self._server.__enter__()
        return self

    def __exit__(self, *exc):
        self._server.__exit__(*exc)


def snap(page, name: str) -> Path:
    """A screenshot of the whole app page: the iframe is grown to its content first."""
    ARTIFACTS.mkdir(exist_ok=True)
    frame = page.frame_locator("#app")
    height = frame.locator("html").evaluate("el => Math.max(el.scrollHeight, document.body.scrollHeight)")
    page.evaluate(f"document.getElementById('app').style.height = '{max(height, 700)}px'")
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    page.evaluate("document.getElementById('app').style.height = ''")
    return path
