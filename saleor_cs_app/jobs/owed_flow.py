"""Goods a lost or returned parcel owes (care/owed.py): the customer's one choice, carried out once in Saleor.

    (support page) choose ─▶ chosen ─carry_out: Saleor object, order note─▶ done
                                     └─ Saleor refuses, or the tries run out ─▶ failed (the merchant sees why)

The choice is one row per incident (store/owed_models.py): two clicks, two tabs or two workers meet at
its unique key, and the second sees the first. Carrying it out holds a lease on the row, so two
workers never act at once; a crashed attempt's retry finds what the first created (the draft order's
external reference, the refund's reason marker, the note's marker) instead of creating it again.
It is apart from the incident's own goodwill (jobs/incidents_flow.py): the goods are owed by law,
not given by a policy rule, so they neither wait for approval nor count against the budget.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from saleor_cs_app.care.model import IncidentKind
from saleor_cs_app.care.owed import Closed, OwedGoods, Remedy, owed_goods, why_closed
from saleor_cs_app.goodwill import owed as owed_in_saleor
from saleor_cs_app.goodwill.errors import GoodwillFailed
from saleor_cs_app.goodwill.order_note import add_note_once
from saleor_cs_app.jobs.facts import order_facts
from saleor_cs_app.jobs.retries import MAX_ATTEMPTS, backoff_seconds
from saleor_cs_app.runtime import Runtime
from saleor_cs_app.saleor.client import SaleorError, SaleorUnavailable
from saleor_cs_app.store import incidents, orders, owed_remedies
from saleor_cs_app.store.models import Incident, Tenant, TrackedOrder, new_id
from saleor_cs_app.store.owed_models import OwedRemedy

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
NOTE_ABOUT = "owed goods"  # the order note's marker: one note for the choice, apart from the incident's own


class ChoiceRefused(Exception):
    """The choice was not recorded; `reason` is a page string key, safe to show the customer."""

    def __init__(self, reason: str, chosen: OwedRemedy | None = None):
        super().__init__(reason)
        self.reason, self.chosen = reason, chosen


@dataclass(frozen=True)
class Owed:
    """One lost or returned parcel of an order, what it owes, and where the customer's choice stands."""

    incident: Incident
    goods: OwedGoods
    choice: OwedRemedy | None
    closed: Closed | None


def owed_for_order(session, tracked: TrackedOrder) -> list[Owed]:
    """The order's lost and returned parcels whose goods the app can name (the parcel's lines are known)."""
    chosen = owed_remedies.for_order(session, tracked.tenant_id, tracked.order_id)
    found = []
    for incident in incidents.open_for_order(session, tracked.tenant_id, tracked.order_id):
        owed = _owed(incident, tracked, chosen.get(incident.id))
        if owed is not None:
            found.append(owed)
    return sorted(found, key=lambda o: (o.incident.detected_at, o.incident.id))


def _owed(incident: Incident, tracked: TrackedOrder, choice: OwedRemedy | None) -> Owed | None:
    try:
        kind = IncidentKind(incident.kind)
    except ValueError:
        return None
    facts = tracked.facts or {}
    parcel = (facts.get("fulfillments") or {}).get(incident.fulfillment_id) or {}
    quantities: dict[str, int] = {}
    for line in parcel.get("lines") or []:  # absent in snapshots stored before parcels named their lines
        if line.get("line_id"):
            quantities[line["line_id"]] = quantities.get(line["line_id"], 0) + int(line.get("quantity") or 0)
    goods = owed_goods(kind, order_facts(facts, tracked.order_id, tracked.created_at), quantities)
    if goods is None:
        return None
    closed = why_closed(
        incident_state=incident.state,
        order_status=tracked.status or "",
        chosen=Remedy(choice.remedy) if choice is not None else None,
    )
    return Owed(incident=incident, goods=goods, choice=choice, closed=closed)


# -- the customer's choice -------------------------------------------------------------------------
def choose(runtime: Runtime, tenant_id: int, order_id: str, incident_id: str, remedy: Remedy) -> OwedRemedy:
    """Record the choice once; ChoiceRefused when it cannot be (chosen before, closed, nothing owed)."""
    with runtime.db.transaction() as session:
        incident = incidents.get_for_tenant(session, tenant_id, incident_id)
        tracked = orders.find(session, tenant_id, order_id)
        if incident is None or tracked is None or incident.order_id != order_id:
            raise ChoiceRefused("owed_unknown")
        owed = _owed(incident, tracked, None)
        if owed is None:
            raise ChoiceRefused("owed_unknown")
        now = runtime.clock()
        values = {
            "id": new_id(),
            "tenant_id": tenant_id,
            "incident_id": incident_id,
            "order_id": order_id,
            "remedy": remedy.value,
            "lines": [_line_json(line) for line in owed.goods.lines],
            "amount": owed.goods.refund_amount if remedy is Remedy.REFUND else owed.goods.goods,
            "currency": owed.goods.currency,
            "state": "chosen",
            "chosen_at": now,
            "updated_at": now,
            "due_at": now,
            "attempts": 0,
        }
        earlier = owed_remedies.for_order(session, tenant_id, order_id).get(incident_id)
        if earlier is not None:  # the common second click; the unique key below decides a true race
            raise ChoiceRefused("owed_taken", earlier)
        if owed.closed is Closed.NOT_TOLD:
            raise ChoiceRefused("owed_unknown")
        if owed.closed is not None:
            raise ChoiceRefused("owed_closed")
        if remedy not in owed.goods.remedies:
            raise ChoiceRefused("owed_no_new_parcel")
        row, created = owed_remedies.record_choice(session, values)
        if not created:
            raise ChoiceRefused("owed_taken", row)
        incidents.add_event(session, incident, now, "remedy_chosen", _chosen_text(row))
        session.expunge(row)
    runtime.jobs.enqueue("carry_out_owed", row.id)  # after the commit, so the worker sees the row
    return row


def _line_json(line) -> dict:
    return {
        "line_id": line.line_id,
        "variant_id": line.variant_id,
        "name": line.name,
        "quantity": line.quantity,
        "unit_price": str(line.unit_price),
    }


def _items(row: OwedRemedy) -> str:
    return ", ".join(f"{line['quantity']} × {line['name']}" for line in row.lines)


def _chosen_text(row: OwedRemedy) -> str:
    if row.remedy == Remedy.NEW_PARCEL:
        return f"The customer chose a new parcel at no cost: {_items(row)}"
    return f"The customer chose their money back: {row.amount} {row.currency} for {_items(row)}"


# -- carrying it out ---------------------------------------------------------------------------------
def carry_out(runtime: Runtime, remedy_id: str) -> int | None:
    """Create the new parcel or the refund in Saleor, note it on the order; the attempt number to retry after."""
    claimed = _claim(runtime, remedy_id)
    if claimed is None:
        return None
    row, tenant, incident = claimed
    what = "lost by the carrier" if incident.kind == IncidentKind.LOST else "returned to the shop by the carrier"
    why = f"Customer care: the parcel of order #{incident.order_number} was {what}"
    try:
        client = runtime.saleor_client(tenant)
        original = client.execute("GoodwillOrder", {"id": row.order_id}).get("order")
        if original is None:
            raise GoodwillFailed("the order is no longer visible to the app")
        if row.remedy == Remedy.NEW_PARCEL:
            made = owed_in_saleor.send_new_parcel(
                client,
                incident_id=row.incident_id,
                original=original,
                lines=_variant_lines(row),
                secret_key=runtime.settings.secret_key,
                why=why,
            )
            result = {
                "reference": made["id"],
                "number": str(made["number"]),
                "summary": f"new parcel, order #{made['number']} ({_items(row)}), sent free of charge",
            }
        else:
            granted = owed_in_saleor.give_money_back(
                client, incident_id=row.incident_id, original=original, amount=row.amount, why=why
            )
            result = {"reference": granted["id"], "summary": f"refund of {row.amount} {row.currency} granted"}
        note = f"{why}. The customer chose {_chose(row)}: {result['summary']}."
        add_note_once(client, original=original, incident_id=row.incident_id, message=note, about=NOTE_ABOUT)
    except SaleorUnavailable as exc:
        return _release_for_retry(runtime, remedy_id, str(exc))
    except (GoodwillFailed, SaleorError) as exc:
        return _fail(runtime, remedy_id, str(exc))
    except Exception as exc:  # a bug, or a database hiccup: retry, then give up visibly
        log.exception("owed goods step crashed", extra={"remedy": remedy_id, "incident": row.incident_id})
        return _release_for_retry(runtime, remedy_id, f"{type(exc).__name__}: {exc}")
    with runtime.db.transaction() as session:
        done = owed_remedies.get(session, remedy_id, lock=True)
        now = runtime.clock()
        done.state, done.result, done.error, done.lease_until, done.updated_at = "done", result, None, None, now
        incident = session.get_one(Incident, done.incident_id)
        incidents.add_event(session, incident, now, "remedy_carried_out", f"Created in Saleor: {result['summary']}")
    return None


def _claim(runtime: Runtime, remedy_id: str) -> tuple[OwedRemedy, Tenant, Incident] | None:
    with runtime.db.transaction() as session:
        row = owed_remedies.get(session, remedy_id, lock=True)
        if row is None or row.state != "chosen":
            return None
        now = runtime.clock()
        if row.lease_until is not None and row.lease_until > now:
            return None  # another worker is on it; its own retry finishes the job
        tenant = session.get_one(Tenant, row.tenant_id)
        if not tenant.is_active:
            _mark_failed(session, row, now, "the app was uninstalled from this Saleor")
            return None
        row.lease_until, row.attempts, row.updated_at = now + LEASE, row.attempts + 1, now
        incident = session.get_one(Incident, row.incident_id)
        for detached in (row, tenant, incident):
            session.expunge(detached)
        return row, tenant, incident


def _release_for_retry(runtime: Runtime, remedy_id: str, error: str) -> int | None:
    with runtime.db.transaction() as session:
        row = owed_remedies.get(session, remedy_id, lock=True)
        now = runtime.clock()
        if row.attempts >= MAX_ATTEMPTS:
            _mark_failed(session, row, now, f"gave up after {row.attempts} tries: {error}")
            return None
        row.lease_until, row.error, row.updated_at = None, error, now
        row.due_at = now + timedelta(seconds=backoff_seconds(row.attempts))  # the sweep waits for the retry
        incident = session.get_one(Incident, row.incident_id)
        incidents.add_event(session, incident, now, "retrying", f"The customer's choice will be retried: {error}")
        return row.attempts


def _fail(runtime: Runtime, remedy_id: str, error: str) -> None:
    log.warning("owed goods failed", extra={"remedy": remedy_id, "error": error})
    with runtime.db.transaction() as session:
        _mark_failed(session, owed_remedies.get(session, remedy_id, lock=True), runtime.clock(), error)
    return None


def _mark_failed(session, row: OwedRemedy, now, error: str) -> None:
    """For good: the merchant reads why on the incident and settles it by hand; the page says the shop will."""
    row.state, row.error, row.lease_until, row.updated_at = "failed", error, None, now
    incident = session.get_one(Incident, row.incident_id)
    incidents.add_event(
        session, incident, now, "remedy_failed", f"The customer's choice ({_chose(row)}) was not carried out: {error}"
    )


def _chose(row: OwedRemedy) -> str:
    return "a new parcel" if row.remedy == Remedy.NEW_PARCEL else f"their money back ({row.amount} {row.currency})"


def _variant_lines(row: OwedRemedy) -> list[dict]:
    quantities: dict[str, int] = {}
    for line in row.lines:
        if not line.get("variant_id"):
            raise GoodwillFailed(f"{line.get('name')} can no longer be ordered: it cannot be sent again")
        quantities[line["variant_id"]] = quantities.get(line["variant_id"], 0) + int(line["quantity"])
    return [{"variantId": variant, "quantity": quantity} for variant, quantity in quantities.items()]


# -- the sweep -----------------------------------------------------------------------------------------
