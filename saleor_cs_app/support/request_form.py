"""A change asked for before the order ships: a later delivery (from a date) or another variant of a line."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

MAX_WISH = 200
MAX_DAYS_AHEAD = 90
REQUESTS = ("later_delivery", "change_variant")


@dataclass(frozen=True)
class ChangeRequest:
    request: str
    not_before: date | None = None  # later_delivery
    line_id: str | None = None  # change_variant
    wish: str | None = None  # change_variant: what instead, in the customer's words


def read(form, *, order_line_ids: set[str], today: date) -> tuple[ChangeRequest | None, dict]:
    kind = form.get("request")
    if kind not in REQUESTS:
        return None, {"request": "err_request"}
    if kind == "later_delivery":
        try:
            day = date.fromisoformat((form.get("date") or "")[:10])
        except ValueError:
            day = None
        if day is None or not today < day <= today + timedelta(days=MAX_DAYS_AHEAD):
            return None, {"date": "err_date"}
        return ChangeRequest(kind, not_before=day), {}
    errors = {}
    line_id = form.get("line")
    if line_id not in order_line_ids:
        errors["line"] = "err_lines"
    wish = (form.get("wish") or "").strip()
    if not wish or len(wish) > MAX_WISH:
        errors["wish"] = "err_wish"
    return (None, errors) if errors else (ChangeRequest(kind, line_id=line_id, wish=wish), {})
