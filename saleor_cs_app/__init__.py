"""saleor-cs-app: a Saleor app that turns shipping failures into loyal customers."""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from flask import Flask

    from saleor_cs_app.runtime import Runtime
    from saleor_cs_app.settings import Settings


def create_app(settings: Settings | None = None, *, runtime: Runtime | None = None) -> Flask:
    """Wire the Flask app to a Runtime. Nothing here runs at import time."""
    from flask import Flask

    from saleor_cs_app import http_errors, logs
    from saleor_cs_app.http import health, install
    from saleor_cs_app.jobs.queue import Jobs
    from saleor_cs_app.manifest import build_manifest
    from saleor_cs_app.runtime import Runtime
    from saleor_cs_app.settings import load_settings
    from saleor_cs_app.http import tracking as tracking_routes
    from saleor_cs_app.support import routes as support_routes
    from saleor_cs_app.webhooks.endpoint import WebhookEndpoint

    if runtime is None:
        runtime = Runtime.build(settings or load_settings())
    if runtime.webhooks_wanted is None:
        runtime.webhooks_wanted = build_manifest(runtime.settings)["webhooks"]
    if runtime.jobs is None:
        Jobs(runtime)
    logs.configure(runtime.settings.log_level)

    app = Flask(__name__, static_folder=None)
    app.config["MAX_CONTENT_LENGTH"] = runtime.settings.max_webhook_body_bytes
    app.extensions["runtime"] = runtime
    app.register_blueprint(install.blueprint)
    app.register_blueprint(health.blueprint)
    app.register_blueprint(tracking_routes.blueprint)
    app.register_blueprint(support_routes.blueprint)
    try:
        from saleor_cs_app.ui import blueprint as ui_blueprint
    except ImportError:
        ui_blueprint = None
    if ui_blueprint is not None:
        app.register_blueprint(ui_blueprint)
    http_errors.register_error_handlers(app)
    app.wsgi_app = WebhookEndpoint(runtime, app.wsgi_app)
    return app
