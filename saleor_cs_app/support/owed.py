"""The owed-goods part of the order page: a lost or returned parcel, and the customer's one-click choice.

GET: for each lost or returned parcel of the order, what was in it and two buttons (a new parcel, or
the money back) — or, once chosen, what was chosen and what happens now. POST `/support/o/<token>/owed`:
the choice, behind the page's signed link and CSRF token, recorded once (jobs/owed_flow.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask import redirect, request

from saleor_cs_app.care.owed import Closed, OwedLine, Remedy
from saleor_cs_app.http.runtime import current_runtime
from saleor_cs_app.jobs import owed_flow
from saleor_cs_app.store import orders
from saleor_cs_app.support.web import OrderPage, check_csrf, form_expired, order_page, render


@dataclass(frozen=True)
class OwedCard:
    incident_id: str
    kind: str  # lost | returned
    lines: tuple[OwedLine, ...]
    refund_amount: Decimal  # what "Refund me" gives
    remedies: tuple[str, ...]  # the buttons
    chosen: str | None  # new_parcel | refund, once chosen
    progress: str | None  # chosen (being carried out) | done | failed
    amount: Decimal | None  # the refund chosen
    order_number: str | None  # the new parcel's order, once created
    error: str | None = None  # a refused POST's message, shown on this card


def cards(page: OrderPage, *, error: tuple[str, str] | None = None) -> list[OwedCard]:
    """The page's owed parcels; `error`: (incident id, string key) of a refused choice."""
    runtime = current_runtime()
    shown = []
    with runtime.db.read() as session:  # the rows are read while the session lives
        tracked = orders.find(session, page.link.tenant_id, page.link.order_id)
        found = owed_flow.owed_for_order(session, tracked) if tracked is not None else []
        for owed in found:
            card = _card(owed, error)
            if card is not None:
                shown.append(card)
    return shown


def _card(owed: owed_flow.Owed, error: tuple[str, str] | None) -> OwedCard | None:
    if owed.closed in (Closed.NOT_TOLD, Closed.ORDER_CLOSED) and owed.choice is None:
        return None  # nothing was said, or the shop settled the order: no choice to offer
    choice = owed.choice
    return OwedCard(
        incident_id=owed.incident.id,
        kind=owed.incident.kind,
        lines=owed.goods.lines,
        refund_amount=owed.goods.refund_amount,
        remedies=tuple(r.value for r in owed.goods.remedies),
        chosen=choice.remedy if choice else None,
        progress=choice.state if choice else None,
        amount=choice.amount if choice else None,
        order_number=((choice.result or {}).get("number") if choice else None),
        error=error[1] if error and error[0] == owed.incident.id else None,
    )


def choose(token: str):
    """The customer's click: recorded once, then back to the page, which says what happens now."""
    page = order_page(token)  # a forged or expired link stops here (404 / 410), nothing changed
    if not check_csrf(token):
        return form_expired(page)
    incident_id = (request.form.get("incident") or "")[:40]
    try:
        remedy = Remedy(request.form.get("remedy") or "")
    except ValueError:
        return form_expired(page)
    try:
        owed_flow.choose(current_runtime(), page.link.tenant_id, page.link.order_id, incident_id, remedy)
    except owed_flow.ChoiceRefused as exc:
        status = 404 if exc.reason == "owed_unknown" else 409
        return render(
            "support/order.html",
            status,
            page=page,
            t=page.t,
            csrf_scope=token,
            notice=None,
            owed=cards(page, error=(incident_id, exc.reason)),
            owed_refused=exc.reason,
        )
    return redirect(f"/support/o/{token}?done=owed", 303)
