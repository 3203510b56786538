"""The on-time trend as CSV: one line per month and group, the rate beside its base."""

from __future__ import annotations

import csv
import io

from saleor_cs_app.care.on_time_trend import TrendPoint


def on_time_csv(by: str, points: list[TrendPoint]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["month", by, "delivered", "on_time", "rate", "too_few"])
    for p in sorted(points, key=lambda p: (p.month, p.group)):
        rate = "" if p.rate is None else f"{p.rate:.4f}"
        writer.writerow([p.month, _cell(p.group), p.delivered, p.on_time, rate, "yes" if p.too_few else "no"])
    return out.getvalue()


def _cell(text: str) -> str:
    """A name from a carrier or the shop, never read as a formula by a spreadsheet."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
