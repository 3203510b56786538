"""The returning-customers report as CSV: one line per group, every rate beside its base."""

from __future__ import annotations

import csv
import io

WINDOWS = ("30", "90", "180")


def returns_csv(report: dict) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    header = ["group", "rule", "offer_type", "currency", "incidents", "held_back", "goodwill_spent"]
    header += ["redeemed", "redemption_base", "redemption_rate", "redemption_low", "redemption_high"]
    for w in WINDOWS:
        header += [f"returned_{w}d", f"base_{w}d", f"rate_{w}d", f"low_{w}d", f"high_{w}d"]
    header += ["extra_returning_90d", "cost_per_kept", "cost_low", "cost_high", "cost_verdict"]
    header += ["revenue_customers_180d", "later_revenue_180d", "later_revenue_per_customer"]
    writer.writerow(header)
    rows = [*report.get("rows", []), *report.get("by_offer", []), report.get("apology"), report.get("baseline")]
    for row in filter(None, rows):
        line = [row["group"], row.get("rule") or "", row.get("offer_type") or "", row.get("currency") or ""]
        line += [row["incidents"], row["held_back"], row["spent"]]
        line += _rate(row.get("redemption"))
        for w in WINDOWS:
            line += _rate(row["returns"][w])
        cost = row.get("cost") or {}
        extra = cost.get("extra_returning")
        line += [
            "" if extra is None else f"{extra:.1f}",
            cost.get("cost") or "",
            cost.get("cost_low") or "",
            cost.get("cost_high") or "",
            cost.get("verdict") or "",
        ]
        revenue = row["revenue"]
        line += [revenue["customers"], revenue["total"], revenue.get("per_customer") or ""]
        writer.writerow(line)
    return out.getvalue()


def _rate(rate: dict | None) -> list:
    """count, base, and the rate with its interval — or 'too few to tell' in the rate's place."""
    if rate is None:
        return ["", "", "", "", ""]
    if rate["too_few"]:
        return [rate["count"], rate["base"], "too few to tell", "", ""]
    interval = rate["interval"]
    return [rate["count"], rate["base"], f"{rate['rate']:.4f}", f"{interval['low']:.4f}", f"{interval['high']:.4f}"]
