"""Compare what is wrong now with what was raised: raise the new, clear the fixed, each once.

Runs every few minutes for every installation (jobs/tasks.py) and when the merchant opens the app.
A problem is raised in Saleor with appProblemCreate where the Saleor has it (3.22+) and always kept
here, so the app's own page shows it on older Saleors too.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from saleor_cs_app.problems import conditions
from saleor_cs_app.problems.conditions import Condition, LastSend
from saleor_cs_app.runtime import Runtime
from saleor_cs_app.saleor.client import SaleorError, SaleorGraphQLError, SaleorRejected
from saleor_cs_app.saleor.permissions import PERMISSIONS
from saleor_cs_app.store import budget, incidents, policies, tenants
from saleor_cs_app.store.upsert import insert_ignore
from saleor_cs_app.store.models import AppProblem, OutboxMessage
from saleor_cs_app.tracking.health import disconnected_sources

log = logging.getLogger(__name__)

FINISHED_TRYING = ("sent", "failed", "pending")


@dataclass(frozen=True)
class Raised:
    id: int
    key: str
    message: str
    raised_at: datetime
    in_saleor: bool


def review(runtime: Runtime, tenant_id: int) -> list[Raised]:
    """Bring the raised problems in line with the current conditions; returns the active ones."""
    now = runtime.clock()
    with runtime.db.read() as session:
        tenant = tenants.get(session, tenant_id)
        if tenant.token_ciphertext is None:
            return []
        client = runtime.saleor_client(tenant)
        found = _conditions(session, client, tenant_id, now)
        active = {p.key: p for p in _active(session, tenant_id)}
    new = [c for c in found if c.key not in active or not active[c.key].in_saleor]
    gone = [p for key, p in active.items() if key not in {c.key for c in found}]
    # Saleor's call happens outside any transaction; the rows are written after.
    in_saleor = {c.key: _create(client, c) for c in new}
    dismissed = _dismiss(client, [p.key for p in gone if p.in_saleor])
    with runtime.db.transaction() as session:
        for condition in new:
            _upsert(session, tenant_id, condition, in_saleor[condition.key], now)
        for problem in gone:
            row = session.get(AppProblem, problem.id)
            if problem.in_saleor and not dismissed:
                continue  # try the dismissal again next time
            row.cleared_at = now
        return _active(session, tenant_id)


def _conditions(session, client, tenant_id: int, now: datetime) -> list[Condition]:
    month = budget.month_of(now)
    policy, skipped = policies.load_with_skipped(session, tenant_id)
    return [
        *conditions.policy_rules_skipped(skipped),
        *conditions.smtp_refusing(_last_send(session, tenant_id)),
        *conditions.permissions_missing(_granted(client), PERMISSIONS),
        *conditions.budgets_spent(policy.limits.monthly_budget, budget.spent_by_currency(session, tenant_id, month), month),
        *conditions.tracking_disconnected(disconnected_sources(session, tenant_id, now)),
        *conditions.incidents_not_continuing(*incidents.not_continuing(session, tenant_id)),
    ]


def _last_send(session, tenant_id: int) -> LastSend | None:
    row = session.scalar(
        select(OutboxMessage)
        .where(
            OutboxMessage.tenant_id == tenant_id,
            OutboxMessage.state.in_(FINISHED_TRYING),
            (OutboxMessage.state != "pending") | OutboxMessage.error.is_not(None),
        )
        .order_by(OutboxMessage.id.desc())
        .limit(1)
    )
    return None if row is None else LastSend(sent=row.state == "sent", error=row.error)


def _granted(client) -> list[str] | None:
    try:
        app = client.execute("AppPermissions").get("app") or {}
    except SaleorError as exc:
        log.info("app permissions unavailable", extra={"error": type(exc).__name__})
        return None
    return [p["code"] for p in app.get("permissions") or ()]


def _unsupported(exc: SaleorError) -> bool:
    """Saleor before 3.22 has no app problems: the document itself is refused."""
    return isinstance(exc, SaleorRejected) or (isinstance(exc, SaleorGraphQLError) and "appProblem" in str(exc))


def _create(client, condition: Condition) -> bool:
    try:
        result = client.execute("AppProblemCreate", {"input": {"key": condition.key, "message": condition.message}})
    except SaleorError as exc:
        if not _unsupported(exc):
            log.info("app problem not raised in Saleor", extra={"key": condition.key, "error": type(exc).__name__})
        return False
    errors = (result.get("appProblemCreate") or {}).get("errors") or []
    if errors:
        log.warning("Saleor refused an app problem", extra={"key": condition.key, "error": errors[0].get("code")})
    return not errors


def _dismiss(client, keys: list[str]) -> bool:
    if not keys:
        return True
    try:
        result = client.execute("AppProblemDismiss", {"keys": keys})
    except SaleorError as exc:
        log.info("app problems not dismissed", extra={"error": type(exc).__name__})
        return False
    return not (result.get("appProblemDismiss") or {}).get("errors")


def review_all(runtime: Runtime) -> None:
    """Every installation, one at a time; one failing Saleor does not stop the others."""
    with runtime.db.read() as session:
        tenant_ids = [t.id for t in tenants.all_active(session)]
    for tenant_id in tenant_ids:
        try:
            review(runtime, tenant_id)
        except Exception:
            log.exception("problem review failed", extra={"tenant_id": tenant_id})


def active(runtime: Runtime, tenant_id: int) -> list[Raised]:
    """What the app's page shows, without asking Saleor."""
    with runtime.db.read() as session:
        return _active(session, tenant_id)


def _active(session, tenant_id: int) -> list[Raised]:
    rows = session.scalars(
        select(AppProblem)
        .where(AppProblem.tenant_id == tenant_id, AppProblem.cleared_at.is_(None))
        .order_by(AppProblem.raised_at, AppProblem.key)
    )
    return [Raised(r.id, r.key, r.message, r.raised_at, r.in_saleor) for r in rows]


def _upsert(session, tenant_id: int, condition: Condition, in_saleor: bool, now: datetime) -> None:
    # Two reviews can run at once (the page asks once per locale it hears): the natural
    # key makes the second insert a no-op, and both then update the one row.
    values = dict(tenant_id=tenant_id, key=condition.key, message=condition.message, raised_at=now, in_saleor=in_saleor)
    if insert_ignore(session, AppProblem, values):
        return
    row = session.scalar(
        select(AppProblem).where(AppProblem.tenant_id == tenant_id, AppProblem.key == condition.key).with_for_update()
    )
    if row.cleared_at is not None:
        row.raised_at = now
    row.message, row.cleared_at, row.in_saleor = condition.message, None, in_saleor or row.in_saleor
