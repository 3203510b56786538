"""Submitting a report: the photos are cleaned first, then one transaction opens the incident,
holds the lines and records the report; the decision runs in the worker (jobs/proposals_flow.py)."""

from __future__ import annotations

from dataclasses import asdict
from decimal import Decimal

from saleor_cs_app.care.model import IncidentKind, IncidentSource
from saleor_cs_app.care.proposals import ProposalInvalid, proposal_offer
from saleor_cs_app.jobs.facts import order_facts
from saleor_cs_app.runtime import Runtime
from saleor_cs_app.store import incidents, orders, support_reports
from saleor_cs_app.store.models import SupportPhoto, SupportReport, new_id
from saleor_cs_app.support.photo_store import PhotoStore
from saleor_cs_app.support.photos import CleanPhoto
from saleor_cs_app.support.report_form import ReportForm
from saleor_cs_app.support.request_form import ChangeRequest


class ReportRefused(Exception):
    def __init__(self, field: str, key: str):
        super().__init__(key)
        self.field, self.key = field, key


def submit(
    runtime: Runtime, store: PhotoStore, tenant_id: int, order_id: str, form: ReportForm, photos: list[CleanPhoto]
) -> str:
    """Returns the report id; refusals leave nothing behind (no rows, no stored photos)."""
    now = runtime.clock()
    keys: list[str] = []
    try:
        with runtime.db.transaction() as session:
            tracked = orders.find(session, tenant_id, order_id)
            order = order_facts(tracked.facts, tracked.order_id, tracked.created_at)
            lines = tuple(line for line in order.lines if line.line_id in form.line_ids)
            try:
                offer = proposal_offer(form.proposal, lines, order.currency)
            except ProposalInvalid as exc:
                raise ReportRefused("discount" if exc.field == "amount" else exc.field, "err_amount") from None
            report_id = new_id()
            facts = {
                "kind": IncidentKind.CUSTOMER_REPORT.value,
                "source": IncidentSource.CUSTOMER.value,
                "days_late": 0,
                "problem": form.problem.value,
                "line_ids": list(form.line_ids),
                "affected_items": [line.name for line in lines],
                "note": form.note,
                "resolution": form.proposal.resolution.value,
                "proposal_value": str(offer.value) if offer else None,
                "proposed_offer": _offer_json(offer),
                "expected_skus": [],
                "sent_skus": [],
            }
            incident = _open_customer_incident(session, tracked, f"report-{report_id}", facts, now)
            session.add(
                SupportReport(
                    id=report_id,
                    tenant_id=tenant_id,
                    incident_id=incident.id,
                    order_id=order_id,
                    problem=form.problem.value,
                    line_ids=list(form.line_ids),
                    note=form.note,
                    resolution=form.proposal.resolution.value,
                    amount=form.proposal.amount,
                    percent=form.proposal.percent,
                    state="open",
                    created_at=now,
                    updated_at=now,
                )
            )
            session.flush()
            try:
                support_reports.hold_lines(session, tenant_id, order_id, report_id, list(form.line_ids))
            except support_reports.LineAlreadyReported:
                raise ReportRefused("lines", "err_line_taken") from None
            for photo in photos:
                keys.append(store.put(tenant_id, photo.data))
                session.add(
                    SupportPhoto(
                        tenant_id=tenant_id,
                        report_id=report_id,
                        storage_key=keys[-1],
                        content_type=photo.content_type,
                        width=photo.width,
                        height=photo.height,
                        size=len(photo.data),
                        created_at=now,
                    )
                )
            said = form.note or "no note"
            incidents.add_event(session, incident, now, "reported", f"The customer reported: {said}")
            incident_id = incident.id
    except BaseException:
        for key in keys:  # the rows were rolled back; their files go too
            store.delete(key)
        raise
    runtime.jobs.enqueue("handle_incident", incident_id)
    return report_id


def submit_request(runtime: Runtime, tenant_id: int, order_id: str, change: ChangeRequest) -> str:
    """A change before shipping, for the merchant to approve; raises ReportRefused once the order shipped."""
    now = runtime.clock()
    with runtime.db.transaction() as session:
        tracked = orders.find(session, tenant_id, order_id)
        if tracked.facts.get("fulfillments"):
            raise ReportRefused("request", "err_shipped")
        names = {line.get("line_id"): line.get("name") for line in tracked.facts.get("lines", [])}
        report_id = new_id()
        line_ids = [change.line_id] if change.line_id else []
        details = (
            f"no earlier than {change.not_before.isoformat()}"
            if change.not_before
            else f"{names.get(change.line_id)}: {change.wish}"
        )
        facts = {
            "kind": IncidentKind.CUSTOMER_REPORT.value,
            "source": IncidentSource.CUSTOMER.value,
            "days_late": 0,
            "request": change.request,
            "request_details": details,
            "not_before": change.not_before.isoformat() if change.not_before else None,
            "line_ids": line_ids,
            "affected_items": [names.get(change.line_id)] if change.line_id else [],
            "note": change.wish,
            "resolution": "shop_decides",
            "proposal_value": None,
            "proposed_offer": None,
            "expected_skus": [],
            "sent_skus": [],
        }
        incident = _open_customer_incident(session, tracked, f"request-{report_id}", facts, now)
        session.add(
            SupportReport(
                id=report_id,
                tenant_id=tenant_id,
                incident_id=incident.id,
                order_id=order_id,
                problem="request",
                line_ids=line_ids,
                note=change.wish,
                resolution=change.request,
                state="open",
                created_at=now,
                updated_at=now,
            )
        )
        session.flush()
        try:
            support_reports.hold_lines(session, tenant_id, order_id, report_id, line_ids)
        except support_reports.LineAlreadyReported:
            raise ReportRefused("line", "err_line_taken") from None
        incidents.add_event(
            session, incident, now, "reported", f"The customer asks before shipping: {change.request}, {details}"
        )
        incident_id = incident.id
    runtime.jobs.enqueue("handle_incident", incident_id)
    return report_id


def _offer_json(offer) -> dict | None:
    if offer is None:
        return None
    plain = {k: (str(v) if isinstance(v, Decimal) else v) for k, v in asdict(offer).items()}
    return {**plain, "type": offer.type.value, "reship_skus": list(offer.reship_skus)}


def _open_customer_incident(session, tracked, key: str, facts: dict, now):
    """One incident per report: the report's own key stands where a fulfilment id would."""
    incident, _ = incidents.open_incident(
        session,
        tenant_id=tracked.tenant_id,
        order_id=tracked.order_id,
        kind=IncidentKind.CUSTOMER_REPORT.value,
        fulfillment_id=key,
        now=now,
        order_number=tracked.number,
        channel_slug=tracked.channel_slug,
        source=IncidentSource.CUSTOMER.value,
        days_late=0,
        facts=facts,
        customer_email=tracked.facts.get("customer_email"),
    )
    return incident
