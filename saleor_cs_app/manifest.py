"""The app manifest Saleor fetches at install, built from the webhook registry."""

from __future__ import annotations

from importlib.metadata import version

from saleor_cs_app.saleor.permissions import PERMISSIONS
from saleor_cs_app.settings import Settings
from saleor_cs_app.webhooks import WEBHOOKS

APP_ID = "app.saleor-cs-app"


def build_manifest(settings: Settings) -> dict:
    base = settings.app_url
    return {
        "id": APP_ID,
        "version": version("saleor-cs-app"),  # not saleor_cs_app.__version__: nothing imports the composition root
        "name": "Customer Care",
        "about": (
            "Turns shipping failures into loyal customers: detects late shipments, late deliveries and "
            "wrong items, applies your compensation policy, and tells the customer first, in their language."
        ),
        "author": "saleor-cs-app",
        "permissions": list(PERMISSIONS),
        "appUrl": f"{base}/dashboard/",
        "tokenTargetUrl": f"{base}/api/register",
        "homepageUrl": f"{base}/",
        "supportUrl": f"{base}/dashboard/",
        # Saleor 3.20 is the oldest we support: orderGrantRefundCreate, voucher addCodes, JWS webhooks.
        "requiredSaleorVersion": ">=3.20 <4",
        "brand": {"logo": {"default": f"{base}/static/logo.png"}},
        "extensions": [
            {
                "label": "Report a delivery problem",
                "mount": "ORDER_DETAILS_MORE_ACTIONS",
                "target": "POPUP",
                "url": f"{base}/dashboard/report",
                "permissions": ["MANAGE_ORDERS"],
            },
            {
                # Saleor 3.22+ dashboards show it on the order page; older ones ignore the mount.
                "label": "Customer care",
                "mount": "ORDER_DETAILS_WIDGETS",
                "target": "WIDGET",
                "url": f"{base}/dashboard/order-widget",
                "permissions": ["MANAGE_ORDERS"],
                "options": {"widgetTarget": {"method": "GET"}},
            },
        ],
        "webhooks": [
            {
                "name": w.name,
                "asyncEvents": [w.event],
                "query": w.query,
                "targetUrl": f"{base}/api/webhooks/{w.name}",
                "isActive": True,
            }
            for w in WEBHOOKS
        ],
    }
