"""The merchant's own mail server: set, clear, and see it without ever reading its password back."""

from __future__ import annotations

import strawberry

from saleor_cs_app.settings import SettingsError, SmtpSettings, parse_smtp_url
from saleor_cs_app.store import tenants
from saleor_cs_app.store.models import Tenant


@strawberry.type
class MailServer:
    own_server: bool  # False: the operator's server (SMTP_URL), or dry run when there is none
    dry_run: bool
    host: str | None
    port: int | None
    username: str | None
    security: str | None  # tls | starttls | none


@strawberry.type
class UpdateMailServerResult:
    ok: bool
    error: str | None
    mail_server: MailServer


def mail_server(info: strawberry.Info) -> MailServer:
    runtime, caller = info.context.runtime, info.context.caller
    with runtime.db.read() as session:
        ciphertext = session.get_one(Tenant, caller.tenant_id).mail_server_ciphertext
    if ciphertext is None:
        return _described(runtime.settings.smtp, own=False)
    return _described(parse_smtp_url(runtime.cipher.decrypt(ciphertext), name="mail server"), own=True)


def update_mail_server(info: strawberry.Info, smtp_url: str | None = None) -> UpdateMailServerResult:
    """`smtp://user:password@host:587?starttls=1` or `smtps://…`; null or empty goes back to the operator's."""
    runtime, caller = info.context.runtime, info.context.caller
    url = (smtp_url or "").strip()
    if url:
        try:
            parse_smtp_url(url, name="Mail server")
        except SettingsError as exc:
            return UpdateMailServerResult(ok=False, error=str(exc), mail_server=mail_server(info))
    with runtime.db.transaction() as session:
        tenants.set_mail_server(session, caller.tenant_id, runtime.cipher.encrypt(url) if url else None)
    return UpdateMailServerResult(ok=True, error=None, mail_server=mail_server(info))


def _described(server: SmtpSettings | None, *, own: bool) -> MailServer:
    if server is None:
        return MailServer(own_server=False, dry_run=True, host=None, port=None, username=None, security=None)
    security = "tls" if server.use_tls else "starttls" if server.starttls else "none"
    return MailServer(
        own_server=own, dry_run=False, host=server.host, port=server.port, username=server.username, security=security
    )
