"""The report form, read and checked: every field bounded, every choice from a closed list.

Errors are keys into the page strings, by field, so the page can show each next to its input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from saleor_cs_app.care.proposals import Problem, Proposal, Resolution
from saleor_cs_app.support.photos import MAX_PHOTOS

MAX_NOTE = 1000
_NUMBER = re.compile(r"^\s*(\d{1,9}(?:[.,]\d{1,2})?)\s*(%)?\s*$")


@dataclass(frozen=True)
class ReportForm:
    problem: Problem
    line_ids: tuple[str, ...]
    note: str | None
    proposal: Proposal


def read(form, files, *, order_line_ids: set[str], allowed_fixes: tuple[str, ...]) -> tuple[ReportForm | None, dict]:
    """(the form, {}) or (None, {field: string key})."""
    errors: dict[str, str] = {}
    problem = _choice(Problem, form.get("problem"))
    if problem is None:
        errors["problem"] = "err_problem"
    line_ids = tuple(dict.fromkeys(v for v in form.getlist("lines")[:100] if v in order_line_ids))
    if not line_ids:
        errors["lines"] = "err_lines"
    note = (form.get("note") or "").strip()
    if len(note) > MAX_NOTE:
        errors["note"] = "err_note"
    resolution = _choice(Resolution, form.get("fix"))
    if resolution is None or (resolution.value not in allowed_fixes and resolution is not Resolution.SHOP_DECIDES):
        errors["fix"] = "err_fix"
    amount = percent = None
    if resolution is Resolution.KEEP_WITH_DISCOUNT:
        amount, percent = _discount(form.get("discount"))
        if amount is None and percent is None:
            errors["discount"] = "err_amount"
    if too_many_photos(files):
        errors["photos"] = "err_photos_count"
    if errors:
        return None, errors
    return ReportForm(problem, line_ids, note or None, Proposal(resolution, amount, percent)), {}


def _choice(enum_type, value):
    try:
        return enum_type(value)
    except ValueError:
        return None


def _discount(text: str | None) -> tuple[Decimal | None, Decimal | None]:
    """ "20 %" → percent 20; "35,50" → amount 35.50; anything else → (None, None)."""
    match = _NUMBER.match(text or "")
    if not match:
        return None, None
    try:
        number = Decimal(match.group(1).replace(",", "."))
    except InvalidOperation:
        return None, None
    if number <= 0:
        return None, None
    return (None, number) if match.group(2) else (number, None)


def too_many_photos(files) -> bool:
    return len([f for f in files.getlist("photos") if f.filename]) > MAX_PHOTOS
