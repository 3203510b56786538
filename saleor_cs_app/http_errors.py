"""The one place errors become HTTP answers, in app-sdk's shape:

`{"success": false, "error": {"code", "message"}}`. Unexpected exceptions
become a generic 500 with nothing internal in the body.
"""

from __future__ import annotations

import json
import logging

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from saleor_cs_app.errors import AppError

log = logging.getLogger(__name__)


def error_json(code: str, message: str) -> bytes:
    """The error body as bytes, for WSGI code outside Flask (webhooks/endpoint.py)."""
    return json.dumps({"success": False, "error": {"code": code, "message": message}}).encode()


def _body(code: str, message: str):
    return jsonify(success=False, error={"code": code, "message": message})


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(AppError)
    def app_error(exc: AppError):
        if exc.status >= 500:
            log.warning("request failed", extra={"code": exc.code})
        return _body(exc.code, exc.message), exc.status

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        code = (exc.name or "error").upper().replace(" ", "_")
        message = "Body too large" if exc.code == 413 else (exc.description or exc.name)
        return _body(code, message), exc.code

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        log.exception("unhandled error")
        return _body("INTERNAL_ERROR", "Internal error"), 500
