"""Liveness and readiness for the operator's load balancer."""

from __future__ import annotations

import logging

from flask import Blueprint, jsonify

from saleor_cs_app.http.runtime import current_runtime

blueprint = Blueprint("health", __name__)
log = logging.getLogger(__name__)


@blueprint.get("/healthz")
def healthz():
    return jsonify(status="ok")


@blueprint.get("/readyz")
def readyz():
    runtime = current_runtime()
    checks = {}
    for name, probe in (("database", runtime.db.ping), ("queue", runtime.jobs.ping)):
        try:
            probe()
            checks[name] = "ok"
        except Exception as exc:
            log.warning("readiness check failed", extra={"check": name, "error": type(exc).__name__})
            checks[name] = "unavailable"
    ready = all(v == "ok" for v in checks.values())
    return jsonify(status="ok" if ready else "unavailable", checks=checks), 200 if ready else 503
