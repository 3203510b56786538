"""What is wrong right now, each condition under a stable key (the dedup unit in Saleor and here).

Pure functions over plain values; review.py gathers the values from the store and Saleor.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

SMTP_REFUSING = "smtp-refusing-mail"
PERMISSIONS_MISSING = "saleor-permissions-missing"
BUDGET_SPENT = "monthly-budget-spent"  # + ":<currency>"
TRACKING_DISCONNECTED = "tracking-source-disconnected"  # + ":<source>"


@dataclass(frozen=True)
class Condition:
    key: str
    message: str  # for the merchant: what is wrong, what it stops, what to do


@dataclass(frozen=True)
class LastSend:
    """The most recent customer e-mail that finished trying: sent, or refused with the server's words."""

    sent: bool
    error: str | None


def smtp_refusing(last: LastSend | None) -> list[Condition]:
    if last is None or last.sent or not last.error:
        return []
    return [
        Condition(
            SMTP_REFUSING,
            f"The mail server refused customer e-mails ({last.error[:300]}). Customers are not being told about "
            "their late or wrong orders. Check the mail server on the app's Messages tab.",
        )
    ]


def permissions_missing(granted: Iterable[str] | None, needed: Iterable[str]) -> list[Condition]:
    if granted is None:  # Saleor did not say; nothing to conclude
        return []
    missing = sorted(set(needed) - set(granted))
    if not missing:
        return []
    return [
        Condition(
            PERMISSIONS_MISSING,
            f"The app lacks the Saleor permissions {', '.join(missing)}, so it cannot create the goodwill your "
            "policy gives. Grant them in Apps → Customer Care → Permissions.",
        )
    ]


def budgets_spent(budgets: Mapping[str, Decimal], spent: Mapping[str, Decimal], month: str) -> list[Condition]:
    found = []
    for currency, cap in sorted(budgets.items()):
        used = spent.get(currency, Decimal(0))
        if cap > 0 and used >= cap:
            found.append(
                Condition(
                    f"{BUDGET_SPENT}:{currency}",
                    f"This month's goodwill budget in {currency} is spent ({used} of {cap}, {month}). Customers "
                    "get an apology only until next month, or until you raise the budget on the Policy tab.",
                )
            )
    return found


def tracking_disconnected(sources: Iterable[str]) -> list[Condition]:
    return [
        Condition(
            f"{TRACKING_DISCONNECTED}:{source}",
            f"The tracking source {source} is disconnected, so late deliveries are not noticed from its "
            "updates. Reconnect it in the app's settings.",
        )
        for source in sorted(set(sources))
    ]
