"""Configuration: the only module that reads os.environ.

Read once, validated once, frozen. A bad value is one clear line naming the
variable, raised as SettingsError so the CLI can print it and exit non-zero.
"""

from __future__ import annotations

import logging
import os
import secrets
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

log = logging.getLogger(__name__)

DEFAULT_DATABASE_URL = "sqlite:///saleor-cs-app.db"
ANYONE = "*"  # the ALLOWED_SALEOR_URLS entry that lets any Saleor install (saleor/admission.py)


def allowed_entry_problem(pattern: str) -> str | None:
    """Why an allow-list entry could never match a Saleor API URL (None: it is usable)."""
    if pattern == ANYONE:
        return None
    parts = urlsplit(pattern)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return f"{pattern!r} is not * or an http(s) URL such as https://shop.saleor.cloud/graphql/"
    return None


# The sender when MAIL_FROM is not set: its name is a placeholder, never a shop's name for a customer.
DEFAULT_MAIL_FROM = "Customer care <care@localhost>"

class SettingsError(ValueError):
    """A configuration value that cannot be used; the message is for the operator."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    username: str | None
    password: str | None = field(repr=False)
    use_tls: bool = False  # implicit TLS (smtps://)
    starttls: bool = False


@dataclass(frozen=True)
class Settings:
    app_url: str = "http://localhost:8000"
    app_url_is_set: bool = True  # False: APP_URL was not given, so `serve` puts its own address here
    database_url: str = field(default=DEFAULT_DATABASE_URL, repr=False)  # may hold a password
    redis_url: str | None = field(default=None, repr=False)
    secret_key: str = field(default="", repr=False)
    # Empty: only a Saleor on APP_URL's loopback host (local trial); "*": any. See saleor/admission.py.
    allowed_saleor_urls: tuple[str, ...] = ()
    smtp: SmtpSettings | None = None
    mail_from: str = DEFAULT_MAIL_FROM
    log_level: str = "INFO"
    # Limits and intervals an operator rarely changes; kept here so tests can shrink them.
    max_webhook_body_bytes: int = 1_000_000
    jwks_refetch_interval_seconds: float = 30.0  # at most one refetch per tenant in this time
    jwks_max_age_seconds: float = 3600.0  # older copies are refreshed before use
    saleor_timeout_seconds: float = 15.0
    embedded_worker_threads: int = 2
    # Tracking services; tests and staging point these at stand-ins.
    aftership_api_url: str = "https://api.aftership.com/tracking/2025-01"
    dhl_api_url: str = "https://api-eu.dhl.com/track/shipments"
    tracking_timeout_seconds: float = 15.0
    # The customer's support pages (support/): how long an e-mailed link works, where photos are kept.
    support_link_days: int = 60
    photo_dir: str = "support-photos"  # outside the web root; relative to the working directory

    @property
    def uses_embedded_queue(self) -> bool:
        return self.redis_url is None

    def with_changes(self, **changes) -> "Settings":
        return replace(self, **changes)

    def listening_on(self, host: str, port: int) -> "Settings":
        """Without APP_URL the app's own URLs (manifest, webhooks) are the address `serve` listens on."""
        if self.app_url_is_set:
            return self
        shown = "localhost" if host in ("", "0.0.0.0", "::") else (f"[{host}]" if ":" in host else host)
        return replace(self, app_url=f"http://{shown}:{port}")


def load_settings(environ: dict[str, str] | None = None, *, dotenv: bool = True) -> Settings:
    """Build Settings from the environment (and `.env` when present)."""
    if environ is None:
        if dotenv:
            from dotenv import load_dotenv

            load_dotenv(override=False)
        environ = dict(os.environ)
    env = {k: v.strip() for k, v in environ.items() if v is not None and v.strip() != ""}

    app_url = _parse_app_url(env.get("APP_URL", "http://localhost:8000"))
    database_url = _parse_database_url(env.get("DATABASE_URL", DEFAULT_DATABASE_URL))
    redis_url = _parse_redis_url(env.get("REDIS_URL"))
    log_level = env.get("LOG_LEVEL", "INFO").upper()
    if log_level not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
        raise SettingsError(f"LOG_LEVEL: {log_level!r} is not one of DEBUG, INFO, WARNING, ERROR, CRITICAL")
    allowed = _parse_allowed_saleor_urls(env.get("ALLOWED_SALEOR_URLS", ""))
    smtp = parse_smtp_url(env["SMTP_URL"]) if "SMTP_URL" in env else None
    mail_from = env.get("MAIL_FROM", DEFAULT_MAIL_FROM)
    if "@" not in mail_from:
        raise SettingsError(f"MAIL_FROM: {mail_from!r} has no e-mail address")
    support_link_days = _parse_positive_int("SUPPORT_LINK_DAYS", env.get("SUPPORT_LINK_DAYS", "60"))
    secret_key = env.get("SECRET_KEY") or _embedded_secret_key(database_url)
    if len(secret_key) < 16:
        raise SettingsError("SECRET_KEY: must be at least 16 characters")
    tracking_urls = {
        field_name: _parse_app_url(env[var], var)
        for field_name, var in (("aftership_api_url", "AFTERSHIP_API_URL"), ("dhl_api_url", "DHL_API_URL"))
        if var in env
    }
    return Settings(
        **tracking_urls,
        app_url=app_url,
        app_url_is_set="APP_URL" in env,
        database_url=database_url,
        redis_url=redis_url,
        secret_key=secret_key,
        allowed_saleor_urls=allowed,
        smtp=smtp,
        mail_from=mail_from,
        log_level=log_level,
        support_link_days=support_link_days,
        photo_dir=env.get("PHOTO_DIR", "support-photos"),
    )


def _parse_positive_int(name: str, value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise SettingsError(f"{name}: {value!r} is not a positive whole number")
    return int(value)


def _parse_app_url(value: str, name: str = "APP_URL") -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SettingsError(f"{name}: {value!r} is not an http(s) URL")
    return value.rstrip("/")


def _parse_allowed_saleor_urls(value: str) -> tuple[str, ...]:
    entries = tuple(p.strip() for p in value.split(",") if p.strip())
    for entry in entries:
        if problem := allowed_entry_problem(entry):
            raise SettingsError(f"ALLOWED_SALEOR_URLS: {problem}")
    return entries


def _parse_database_url(value: str) -> str:
    try:
        url = make_url(value)
    except ArgumentError:
        raise SettingsError(f"DATABASE_URL: {value!r} is not a database URL") from None
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise SettingsError(f"DATABASE_URL: {url.get_backend_name()!r} is not supported (sqlite or postgresql)")
    if url.drivername == "postgresql":
        # psycopg 3 is the driver we install; normalise postgresql:// to it.
        value = url.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return value


def _parse_redis_url(value: str | None) -> str | None:
    if value is None:
        return None
    if urlsplit(value).scheme not in ("redis", "rediss", "unix"):
        raise SettingsError(f"REDIS_URL: {value!r} is not a redis:// URL")
    return value


def parse_smtp_url(value: str, *, name: str = "SMTP_URL") -> SmtpSettings:
    """Also parses a merchant's own mail server, entered in the dashboard."""
    parts = urlsplit(value)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise SettingsError(f"{name}: expected smtp://user:pass@host:port or smtps://…")
    try:
        port = parts.port or (465 if parts.scheme == "smtps" else 25)
    except ValueError:
        raise SettingsError(f"{name}: the port is not a number") from None
    query = parse_qs(parts.query)
    return SmtpSettings(
        host=parts.hostname,
        port=port,
        username=parts.username,
        password=parts.password,
        use_tls=parts.scheme == "smtps",
        starttls=query.get("starttls", ["0"])[0] in ("1", "true", "yes"),
    )


def _embedded_secret_key(database_url: str) -> str:
    """Generate a key once and keep it beside the SQLite database.

    Only for the embedded default: a scale-out deployment runs several
    processes on several machines, which must share one key, so it must be set.
    """
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        raise SettingsError("SECRET_KEY: required when DATABASE_URL is not SQLite")
    db_path = url.database
    base = Path(db_path).resolve().parent if db_path and db_path != ":memory:" else Path.cwd()
    key_file = base / "saleor-cs-app.secret"
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_urlsafe(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    log.warning("SECRET_KEY is not set: generated one and kept it in %s", key_file)
    return key
