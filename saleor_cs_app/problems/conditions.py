"""What is wrong right now, each condition under a stable key (the dedup unit in Saleor and here).

Pure functions over plain values; review.py gathers the values from the store and Saleor.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from saleor_cs_app.care.stored_policy import SkippedRule
from saleor_cs_app.tracking.health import Disconnected, Reason

SMTP_REFUSING = "smtp-refusing-mail"
PERMISSIONS_MISSING = "saleor-permissions-missing"
BUDGET_SPENT = "monthly-budget-spent"  # + ":<currency>"
TRACKING_DISCONNECTED = "tracking-source-disconnected"  # + ":<source>"
POLICY_RULE_SKIPPED = "policy-rule-skipped"  # + ":<the rule's index>"
INCIDENTS_NOT_CONTINUING = "incidents-not-continuing"


@dataclass(frozen=True)
class Condition:
    key: str
    message: str  # for the merchant: what is wrong, what it stops, what to do
    # The message's parts, for the app's page to word in the dashboard's language (Saleor gets the message).
    params: Mapping[str, str] = field(default_factory=dict)


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
            {"error": last.error[:300]},
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
            {"permissions": ", ".join(missing)},
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
                    {"currency": currency, "used": str(used), "budget": str(cap), "month": month},
                )
            )
    return found


def policy_rules_skipped(skipped: Iterable[SkippedRule]) -> list[Condition]:
    """A saved rule whose offer no longer fits a kind it names (care/stored_policy.py) is not applied."""
    return [
        Condition(
            f"{POLICY_RULE_SKIPPED}:{rule.index}",
            f"Your policy rule '{rule.name}' (rules[{rule.index}]) is not applied: {rule.reason}. Its customers get "
            "the next rule that matches, or an apology. Change its offer or its kinds on the app's Policy tab.",
            {"name": rule.name, "index": str(rule.index), "reason": rule.reason},
        )
        for rule in skipped
    ]


def tracking_disconnected(found: Iterable[Disconnected]) -> list[Condition]:
    """One problem per source; a refused key says more than the silence it causes, so it wins."""
    by_source: dict[str, Disconnected] = {}
    for item in found:
        if item.source not in by_source or item.reason is Reason.KEY_REFUSED:
            by_source[item.source] = item
    return [
        Condition(f"{TRACKING_DISCONNECTED}:{source}", _disconnected_message(item), _disconnected_params(item))
        for source, item in sorted(by_source.items())
    ]


# Where the merchant gets a new key, and what stops while the key is refused.
_KEY_PLACES = {"aftership": "AfterShip: Settings → API keys", "dhl": "developer.dhl.com → My Apps"}
_KEY_CONSEQUENCES = {
    "aftership": "new parcels are not registered with AfterShip",
    "dhl": "DHL parcels are not being followed",
}
SOURCE_NAMES = {"aftership": "AfterShip", "dhl": "DHL"}


def _disconnected_message(item: Disconnected) -> str:
    name = SOURCE_NAMES.get(item.source, item.source)
    if item.reason is Reason.KEY_REFUSED:
        words = f" ({item.detail[:200]})" if item.detail else ""
        stops = _KEY_CONSEQUENCES.get(item.source, f"{name} is not asked about parcels")
        place = f" (a new key: {_KEY_PLACES[item.source]})" if item.source in _KEY_PLACES else ""
        return (
            f"{name} has refused the app's API key since {item.since:%Y-%m-%d %H:%M} UTC{words}, so {stops} and their "
            f"late deliveries go unnoticed. Enter a valid {name} API key on the app's Tracking tab{place}."
        )
    return (
        f"No {name} update has reached the app for the parcels registered with {name} since "
        f"{item.since:%Y-%m-%d %H:%M} UTC, so their late deliveries go unnoticed. In {name} (Settings → Webhooks), "
        "set the webhook URL shown on the app's Tracking tab and the webhook secret saved in the app."
    )


def _disconnected_params(item: Disconnected) -> dict[str, str]:
    since = f"{item.since:%Y-%m-%dT%H:%M}:00Z"  # to the minute, as the message says it
    found = {"source": item.source, "name": SOURCE_NAMES.get(item.source, item.source), "since": since}
    if item.reason is Reason.KEY_REFUSED:
        return {**found, "reason": "key_refused", **({"detail": item.detail[:200]} if item.detail else {})}
    return {**found, "reason": "silent"}


def incidents_not_continuing(count: int, oldest: datetime | None, reason: str | None) -> list[Condition]:
    """Incidents whose step failed or was lost (its worker died) more than once and that are still open."""
    if not count or oldest is None:
        return []
    since, why = f"{oldest:%Y-%m-%d %H:%M}", (reason or "unknown")[:300]
    return [
        Condition(
            INCIDENTS_NOT_CONTINUING,
            f"{count} incident(s) keep failing to continue (the oldest detected {since} UTC): {why}. Those customers "
            "have not been told yet; the app keeps trying, and shows each incident as failed if it gives up. "
            "Check that the app's workers are running and can reach Saleor.",
            {"count": str(count), "since": since, "reason": why},
        )
    ]


# The problems' rows keep the key and the message only, so the page reads the parts back from the message.
# Each pattern follows the sentence built above; tests/ui/test_problem_params.py checks every builder round-trips.
_READERS = {
    SMTP_REFUSING: re.compile(r"refused customer e-mails \((?P<error>.*)\)\. Customers are not being told", re.S),
    PERMISSIONS_MISSING: re.compile(r"lacks the Saleor permissions (?P<permissions>.+?), so it cannot create"),
    BUDGET_SPENT: re.compile(r"in (?P<currency>\S+) is spent \((?P<used>\S+) of (?P<budget>\S+), (?P<month>[^)]+)\)"),
    POLICY_RULE_SKIPPED: re.compile(r"^Your policy rule '(?P<name>.*)' \(rules\[(?P<index>\d+)\]\) is not applied: (?P<reason>.*)\. Its customers", re.S),
    INCIDENTS_NOT_CONTINUING: re.compile(
        r"^(?P<count>\d+) incident\(s\) keep failing to continue \(the oldest detected (?P<since>\S+ \S+) UTC\): "
        r"(?P<reason>.*)\. Those customers have not been told yet",
        re.S,
    ),
    TRACKING_DISCONNECTED: re.compile(
        r"^(?:(?P<name>.+?) has refused the app's API key since (?P<refused>\S+ \S+) UTC(?: \((?P<detail>.*)\))?, so "
        r"|No (?P<silent_name>.+?) update has reached the app .*? since (?P<silent>\S+ \S+) UTC)",
        re.S,
    ),
}


def params_of(key: str, message: str) -> dict[str, str] | None:
    """The parts of a raised problem's message (see Condition.params); None when it does not read as one."""
    code, _, source = key.partition(":")
    reader = _READERS.get(code)
    found = reader.search(message) if reader else None
    if found is None:
        return None
    parts = {k: v for k, v in found.groupdict().items() if v is not None}
    if code != TRACKING_DISCONNECTED:
        return parts
    refused = "refused" in parts
    since = parts["refused" if refused else "silent"].replace(" ", "T") + ":00Z"
    read = {"source": source, "name": parts["name" if refused else "silent_name"], "since": since}
    if not refused:
        return {**read, "reason": "silent"}
    return {**read, "reason": "key_refused", **({"detail": parts["detail"]} if "detail" in parts else {})}
