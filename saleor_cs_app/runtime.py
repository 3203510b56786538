"""The services one process runs with: settings, database, cipher, clock, and a way to queue tasks.

Built once by `create_app` (web) or by the `worker` command, and handed to
use-cases explicitly; nothing is created at import time. The task queue itself is jobs/ (above
every layer that takes a Runtime): it plugs itself in as `jobs`, seen here only as TaskQueue.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Protocol

from saleor_cs_app.saleor.admission import Addresses, addresses_for
from saleor_cs_app.settings import Settings
from saleor_cs_app.store.crypto import TokenCipher
from saleor_cs_app.store.db import Database

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from saleor_cs_app.saleor.client import SaleorClient
    from saleor_cs_app.store.models import Tenant


class TaskQueue(Protocol):
    """What a layer below jobs/ may ask of the task queue (jobs.queue.Jobs is the implementation)."""

    def enqueue(self, task_name: str, *args: object) -> None: ...

    def delivery_stored(self) -> None: ...

    def ping(self) -> None: ...


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class Runtime:
    settings: Settings
    db: Database
    cipher: TokenCipher
    clock: Callable[[], datetime] = utc_now
    jobs: TaskQueue | None = field(default=None, repr=False)
    # Tests replace this to shorten Saleor retries; production keeps the defaults.
    saleor_client_options: dict = field(default_factory=dict)
    # Saleor API URL → (valid until, tenant snapshot or None); see webhooks/ingest.py.
    tenant_cache: dict = field(default_factory=dict, repr=False)
    # This version's webhooks (the manifest's), set by the composition root: the daily reconciliation brings
    # each installation's webhooks to them (saleor/webhook_sync.py). None: left as they are.
    webhooks_wanted: list[dict] | None = field(default=None, repr=False)

    @classmethod
    def build(cls, settings: Settings, *, clock: Callable[[], datetime] = utc_now) -> Runtime:
        return cls(
            settings=settings, db=Database(settings.database_url), cipher=TokenCipher(settings.secret_key), clock=clock
        )

    def saleor_client(self, tenant: Tenant) -> SaleorClient:
        from saleor_cs_app.saleor.client import SaleorClient

        if tenant.token_ciphertext is None:
            raise LookupError("tenant is uninstalled")
        return SaleorClient(
            tenant.saleor_api_url,
            self.cipher.decrypt(tenant.token_ciphertext),
            timeout=self.settings.saleor_timeout_seconds,
            addresses=self.saleor_addresses(tenant.saleor_api_url),
            **self.saleor_client_options,
        )

    def saleor_addresses(self, saleor_api_url: str) -> Addresses:
        """Where calls to this Saleor may connect (see saleor/admission.py)."""
        return addresses_for(self.settings.allowed_saleor_urls, self.settings.app_url, saleor_api_url)

    def on_installed(self, session: Session, tenant: Tenant, now: datetime) -> None:
        """What a fresh (or renewed) installation sets up, inside the saving transaction."""
        from saleor_cs_app.store import policies

        policies.ensure_default(session, tenant.id, now)
