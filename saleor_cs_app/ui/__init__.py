"""The merchant's pages inside the Saleor dashboard, their static assets, and the API they call.

GET  /                  what the app is, the manifest URL, whether database, queue and mail are ready
GET  /dashboard/         appUrl: Policy, Messages, Incidents, Insights
GET  /dashboard/report   the order page's "Report a delivery problem" popup (?orderId=…)
GET  /dashboard/order-widget  the order page's widget: this order's incidents, messages, parcels
GET  /static/…           scripts, styles, the logo (no request leaves the app)
POST /graphql            the strawberry API (schema.py), for dashboard users with MANAGE_ORDERS
"""

from __future__ import annotations

from flask import Blueprint

from saleor_cs_app.ui import api, home, pages

blueprint = Blueprint("ui", __name__, template_folder="templates", static_folder="static", static_url_path="/static")
blueprint.add_url_rule("/", "home", home.home, methods=["GET"])
blueprint.add_url_rule("/graphql", "graphql", api.graphql_view, methods=["POST"])
blueprint.add_url_rule("/dashboard/", "dashboard", pages.dashboard, methods=["GET"])
blueprint.add_url_rule("/dashboard/report", "report", pages.report, methods=["GET"])
blueprint.add_url_rule("/dashboard/order-widget", "order_widget", pages.order_widget, methods=["GET"])

__all__ = ["blueprint"]
