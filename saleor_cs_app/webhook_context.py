"""What a webhook handler gets: the tenant, a transaction, the clock, and a way to act after commit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from saleor_cs_app.runtime import Runtime
from saleor_cs_app.store.models import Tenant


@dataclass
class WebhookContext:
    runtime: Runtime
    session: Session
    tenant: Tenant
    now: datetime
    issued_at: datetime | None
    after_commit: list[Callable[[], None]] = field(default_factory=list)
