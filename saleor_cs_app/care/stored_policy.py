"""A saved policy that rules added since refuse keeps working.

When a check is added to the policy (an offer must fit every kind its rule names), a document saved
before it may fail it. Refusing to load it would stop every decision for that shop; loading it as it
was would word an offer that cannot be true ("we're sending a replacement" for an order that never
left). So the rule that no longer fits is skipped: its incidents fall through to the next rule that
matches, or get the apology (and, for a lost parcel, the goods they are owed), and the merchant is
told which rule to fix (problems/conditions.py).

Any other error still refuses the document: it was valid when saved, so anything else is corruption.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from saleor_cs_app.care.policy import OFFER_UNFIT, Policy
from saleor_cs_app.care.policy_io import parse_policy


@dataclass(frozen=True)
class SkippedRule:
    index: int  # its place in the saved document, as the editor numbers rules from 0
    name: str
    reason: str


def parse_stored_policy(document: Mapping[str, Any]) -> tuple[Policy, tuple[SkippedRule, ...]]:
    """The policy to run, and the saved rules it leaves out because their offer no longer fits."""
    try:
        return Policy.model_validate(dict(document)), ()
    except ValidationError as exc:
        unfit = {
            err["loc"][1]: err["msg"]
            for err in exc.errors()
            if err["type"] == OFFER_UNFIT and err["loc"][:1] == ("rules",) and err["loc"][2:] == ("offer",)
        }
        if not unfit or len(unfit) != len(exc.errors()):
            return parse_policy(document), ()  # raises PolicyInvalid naming every path
    rules = list(document["rules"])
    kept = [rule for i, rule in enumerate(rules) if i not in unfit]
    skipped = tuple(SkippedRule(i, str(rules[i].get("name", "")), unfit[i]) for i in sorted(unfit))
    return parse_policy({**document, "rules": kept}), skipped
