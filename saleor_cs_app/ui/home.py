"""GET /: what the app is, the manifest URL to paste into the dashboard, and whether it is ready to run.

The first page an operator opens after `saleor-cs-app serve`, before any Saleor knows the app. It shows
no tenant data; the mail server check is cached so the page cannot be used to hammer that server.
"""

from __future__ import annotations

import logging
import smtplib
import time
from dataclasses import dataclass

from flask import make_response, render_template

from saleor_cs_app.http.runtime import current_runtime
from saleor_cs_app.settings import SmtpSettings

log = logging.getLogger(__name__)

SMTP_CHECK_SECONDS = 60
SMTP_TIMEOUT_SECONDS = 3
_smtp_checked: dict[tuple[str, int], tuple[float, "Check"]] = {}


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool | None  # None: not set up, which is allowed (dry-run mail)
    detail: str


def home():
    runtime = current_runtime()
    checks = [
        _probe("Database", runtime.db.ping, "reachable, schema in place"),
        _probe("Queue", runtime.jobs.ping, "embedded (SQLite)" if runtime.settings.uses_embedded_queue else "Redis"),
        _mail_check(runtime.settings.smtp),
    ]
    response = make_response(
        render_template(
            "home.html",
            manifest_url=f"{runtime.settings.app_url}/api/manifest",
            checks=checks,
            ready=all(c.ok is not False for c in checks),
        )
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _probe(name: str, probe, ok_detail: str) -> Check:
    try:
        probe()
    except Exception as exc:
        log.warning("readiness check failed", extra={"check": name, "error": type(exc).__name__})
        return Check(name, False, f"unavailable ({type(exc).__name__})")
    return Check(name, True, ok_detail)


def _mail_check(smtp: SmtpSettings | None) -> Check:
    if smtp is None:
        return Check("Mail server", None, "SMTP_URL is not set: dry-run, e-mails go to the log and the outbox")
    key = (smtp.host, smtp.port)
    cached = _smtp_checked.get(key)
    if cached and time.monotonic() - cached[0] < SMTP_CHECK_SECONDS:
        return cached[1]
    check = _talk_to(smtp)
    _smtp_checked[key] = (time.monotonic(), check)
    return check


def _talk_to(smtp: SmtpSettings) -> Check:
    where = f"{smtp.host}:{smtp.port}"
    connect = smtplib.SMTP_SSL if smtp.use_tls else smtplib.SMTP
    try:
        with connect(smtp.host, smtp.port, timeout=SMTP_TIMEOUT_SECONDS) as server:
            server.ehlo()
            if smtp.starttls:
                server.starttls()
                server.ehlo()
            if smtp.username:
                server.login(smtp.username, smtp.password or "")
            server.noop()
    except smtplib.SMTPAuthenticationError:
        return Check("Mail server", False, f"{where} refused the user name or password")
    except (OSError, smtplib.SMTPException) as exc:
        return Check("Mail server", False, f"{where} cannot be reached ({type(exc).__name__})")
    return Check("Mail server", True, f"{where} answers")
