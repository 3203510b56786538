"""The merchant's answers to a customer's proposal: accept, counter (amount or percent, a note), decline."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import strawberry

from saleor_cs_app.jobs import proposals_flow
from saleor_cs_app.ui.errors import ApiError, NotFoundError
from saleor_cs_app.ui.resolvers.incidents import _reload
from saleor_cs_app.ui.incident_types import Incident


def accept_proposal(info: strawberry.Info, id: strawberry.ID) -> Incident:
    caller = info.context.caller
    _answer(lambda: proposals_flow.accept(info.context.runtime, caller.tenant_id, str(id), by=caller.email))
    return _reload(info, str(id))


def counter_proposal(
    info: strawberry.Info,
    id: strawberry.ID,
    amount: str | None = None,
    percent: str | None = None,
    note: str | None = None,
) -> Incident:
    caller = info.context.caller
    amount_value, percent_value = _number(amount, "amount"), _number(percent, "percent")
    note = (note or "").strip()[:500] or None
    _answer(
        lambda: proposals_flow.counter(
            info.context.runtime,
            caller.tenant_id,
            str(id),
            amount=amount_value,
            percent=percent_value,
            note=note,
            by=caller.email,
        )
    )
    return _reload(info, str(id))


def decline_proposal(info: strawberry.Info, id: strawberry.ID, reason: str | None = None) -> Incident:
    caller = info.context.caller
    reason = (reason or "").strip()[:500] or None
    _answer(
        lambda: proposals_flow.decline(info.context.runtime, caller.tenant_id, str(id), by=caller.email, reason=reason)
    )
    return _reload(info, str(id))


def _answer(action) -> None:
    try:
        action()
    except LookupError:
        raise NotFoundError("No such customer report") from None
    except proposals_flow.NotAnswerable as exc:
        raise ApiError(f"Nothing to do: {exc}", "NOT_PENDING") from None
    except proposals_flow.LimitReached as exc:
        raise ApiError(f"Not accepted: {exc}", "LIMIT_REACHED") from None


def _number(value: str | None, name: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(value.strip())
    except (InvalidOperation, AttributeError):
        raise ApiError(f"{name} must be a number") from None
    if not number.is_finite() or abs(number) > 10**9:
        raise ApiError(f"{name} must be a number")
    return number
