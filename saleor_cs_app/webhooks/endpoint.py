"""POST /api/webhooks/<name> as a plain WSGI callable in front of Flask.

Every Saleor event lands here, often in bursts, and Saleor waits for each
answer. Flask's request machinery (contexts, URL map, response objects) cost
more per delivery than verifying and storing it, so this path reads the WSGI
environ itself; everything else goes on to Flask. Answers keep app-sdk's
shape, as http_errors gives every other route.
"""

from __future__ import annotations

import json
import logging
from http import HTTPStatus

from saleor_cs_app.errors import AppError, BadRequest, NotFound, PayloadTooLarge
from saleor_cs_app.http_errors import error_json
from saleor_cs_app.runtime import Runtime
from saleor_cs_app.webhooks import by_name
from saleor_cs_app.webhooks.ingest import receive

log = logging.getLogger(__name__)

PREFIX = "/api/webhooks/"

# The three good answers, serialised once.
_ANSWERS = {
    outcome: json.dumps({"success": True, "outcome": outcome}).encode()
    for outcome in ("queued", "duplicate", "ignored")
}


class EnvironHeaders:
    """Request headers read straight from the environ (`Saleor-Event` → HTTP_SALEOR_EVENT)."""

    def __init__(self, environ: dict):
        self._environ = environ

    def get(self, name: str, default: str = "") -> str:
        return self._environ.get("HTTP_" + name.upper().replace("-", "_"), default)


class WebhookEndpoint:
    def __init__(self, runtime: Runtime, fallback):
        self._runtime = runtime
        self._fallback = fallback
        self._max_body = runtime.settings.max_webhook_body_bytes

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if not path.startswith(PREFIX):
            return self._fallback(environ, start_response)
        headers = [("Content-Type", "application/json")]
        if environ.get("REQUEST_METHOD") != "POST":
            status, body = 405, error_json("METHOD_NOT_ALLOWED", "Webhooks are delivered with POST")
            headers.append(("Allow", "POST"))
        else:
            status, body = self._answer(path[len(PREFIX) :], environ)
        headers.append(("Content-Length", str(len(body))))
        start_response(f"{status} {HTTPStatus(status).phrase}", headers)
        return [body]

    def _answer(self, name: str, environ) -> tuple[int, bytes]:
        try:
            definition = by_name(name)
            if definition is None:
                raise NotFound(f"No webhook named {name}", code="UNKNOWN_WEBHOOK")
            received = receive(self._runtime, definition, EnvironHeaders(environ), self._body(environ))
            return 200, _ANSWERS[received.outcome]
        except AppError as exc:
            if exc.status >= 500:
                log.warning("request failed", extra={"code": exc.code})
            return exc.status, error_json(exc.code, exc.message)
        except Exception:
            log.exception("unhandled error")
            return 500, error_json("INTERNAL_ERROR", "Internal error")

    def _body(self, environ) -> bytes:
        stream = environ["wsgi.input"]
        length = environ.get("CONTENT_LENGTH") or ""
        if length:
            try:
                size = int(length)
            except ValueError:
                raise BadRequest("Content-Length is not a number", code="BAD_CONTENT_LENGTH") from None
            if size > self._max_body:
                raise PayloadTooLarge("Body too large", code="PAYLOAD_TOO_LARGE")
            return stream.read(size) if size > 0 else b""
        if environ.get("wsgi.input_terminated"):  # chunked: the server ends the stream for us
            body = stream.read(self._max_body + 1)
            if len(body) > self._max_body:
                raise PayloadTooLarge("Body too large", code="PAYLOAD_TOO_LARGE")
            return body
        return b""
