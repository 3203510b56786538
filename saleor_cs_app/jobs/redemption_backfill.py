"""Backfill of spent goodwill: ask Saleor about codes the app gave whose use it may not have seen.

Webhooks and the daily reconciliation (jobs/sweep.reconcile, the same observe_order path) record what
happens while the app runs. What happened before this feature was deployed, or past the
reconciliation's window while the app was down, is asked for here, and only for the app's own
unspent codes: vouchers by code (orders `where.voucherCode`), gift cards by their incident tag (their
USED_IN_ORDER events).

Paged (50 a page), cached (an incident asked about within `RECHECK_AFTER` is not asked again) and
rate-limited (at most `per_second` requests, at most `max_calls` a run).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import or_, select

from saleor_cs_app.goodwill.gift_card import incident_tag
from saleor_cs_app.jobs.redemptions import balance_taken, card_incident_id, record_spent
from saleor_cs_app.runtime import Runtime
from saleor_cs_app.saleor.client import SaleorError
from saleor_cs_app.store import redemptions
from saleor_cs_app.store.models import GoodwillRedemption, Incident, Tenant
from saleor_cs_app.store.returns import CODED, REACHED
from saleor_cs_app.watch.snapshot import parse_time

log = logging.getLogger(__name__)

RECHECK_AFTER = timedelta(days=1)
CODES_PER_QUERY = 25


@dataclass
class Backfilled:
    asked: int = 0  # incidents whose codes were asked about
    calls: int = 0  # requests sent to Saleor
    recorded: int = 0  # redemptions found and recorded
    stopped: str | None = None  # why the run stopped early, if it did


class Throttle:
    """At most `per_second` calls a second and `max_calls` in all; `sleep` is injectable for tests."""

    def __init__(self, per_second: float, max_calls: int, sleep: Callable[[float], None] = time.sleep):
        self.interval, self.max_calls, self.sleep = 1 / per_second, max_calls, sleep
        self.calls, self._last = 0, None

    def take(self) -> bool:
        if self.calls >= self.max_calls:
            return False
        now = time.monotonic()
        if self._last is not None and now - self._last < self.interval:
            self.sleep(self.interval - (now - self._last))
        self._last = time.monotonic()
        self.calls += 1
        return True


def backfill(runtime: Runtime, tenant_id: int, throttle: Throttle) -> Backfilled:
    done = Backfilled()
    with runtime.db.read() as session:
        tenant = session.get(Tenant, tenant_id)
        if tenant is None or not tenant.is_active:
            return done
        session.expunge(tenant)
        unspent = _unspent(session, tenant_id, runtime.clock() - RECHECK_AFTER)
    client = runtime.saleor_client(tenant)
    vouchers = {i.goodwill_code: i.id for i in unspent if i.offer_type == "free_shipping_voucher" and i.goodwill_code}
    cards = {incident_tag(i.id): i.id for i in unspent if i.offer_type == "gift_card"}
    try:
        for chunk in _chunks(sorted(vouchers), CODES_PER_QUERY):
            for page in _pages(client, throttle, done, "OrdersByVoucherCodes", {"codes": chunk}, "orders"):
                with runtime.db.transaction() as session:
                    for order in page:
                        done.recorded += record_spent(session, tenant_id, order, runtime.clock(), source="backfill")
            _checked(runtime, [vouchers[c] for c in chunk])
            done.asked += len(chunk)
        for chunk in _chunks(sorted(cards), CODES_PER_QUERY):
            for page in _pages(client, throttle, done, "GiftCardUses", {"tags": chunk}, "giftCards"):
                with runtime.db.transaction() as session:
                    for card in page:
                        done.recorded += _record_card_uses(session, tenant_id, card, runtime.clock())
            _checked(runtime, [cards[t] for t in chunk])
            done.asked += len(chunk)
    except _Stop as stop:
        done.stopped = str(stop)
    except SaleorError as exc:
        done.stopped = f"Saleor refused: {exc}"
        log.warning("redemption backfill stopped", extra={"tenant": tenant.saleor_api_url, "error": str(exc)})
    done.calls = throttle.calls
    return done


class _Stop(Exception):
    pass


def _pages(client, throttle: Throttle, done: Backfilled, operation: str, variables: dict, field: str):
    after = None
    while True:
        if not throttle.take():
            raise _Stop(f"stopped after {throttle.max_calls} requests; run again to go on")
        connection = (client.execute(operation, {**variables, "after": after}) or {}).get(field) or {}
        yield [e["node"] for e in connection.get("edges") or [] if e and e.get("node")]
        page = connection.get("pageInfo") or {}
        if not page.get("hasNextPage") or not page.get("endCursor"):
            return
        after = page["endCursor"]


def _record_card_uses(session, tenant_id: int, card: dict, now) -> int:
    incident_id = redemptions.gift_card_incident(session, tenant_id, card_incident_id(card))
    if incident_id is None:
        return 0
    recorded = 0
    for event in card.get("events") or []:
        if not event.get("orderId"):
            continue
        amount, currency = balance_taken(event)
        recorded += redemptions.record(
            session,
            tenant_id,
            incident_id=incident_id,
            kind="gift_card",
            order_id=event["orderId"],
            order_number=str(event.get("orderNumber") or ""),
            used_at=parse_time(event.get("date")) or now,
            amount=amount,
            currency=currency,
            source="backfill",
            now=now,
        )
    return recorded


def _unspent(session, tenant_id: int, checked_before):
    spent = select(GoodwillRedemption.incident_id).where(GoodwillRedemption.tenant_id == tenant_id)
    return session.execute(
        select(Incident.id, Incident.offer_type, Incident.goodwill_code).where(
            Incident.tenant_id == tenant_id,
            Incident.state.in_(REACHED),
            Incident.offer_type.in_(CODED),
            Incident.id.not_in(spent),
            or_(Incident.redemption_checked_at.is_(None), Incident.redemption_checked_at < checked_before),
        )
    ).all()


def _checked(runtime: Runtime, incident_ids: list[str]) -> None:
    with runtime.db.transaction() as session:
        now = runtime.clock()
        for row in session.scalars(select(Incident).where(Incident.id.in_(incident_ids))):
            row.redemption_checked_at = now


def _chunks(items: list, size: int):
    return (items[i : i + size] for i in range(0, len(items), size))
