"""The policy document: read it with its history, validate, save a new version, simulate it."""

from __future__ import annotations

import strawberry
from strawberry.scalars import JSON

from saleor_cs_app.care.policy_io import DEFAULT_POLICY, PolicyInvalid, parse_policy, policy_json_schema, policy_to_dict
from saleor_cs_app.notify.addressing import sender_notice
from saleor_cs_app.store import policies
from saleor_cs_app.store.models import Tenant
from saleor_cs_app.jobs.simulation import expected_returns, simulate_recent
from saleor_cs_app.ui.policy_types import (
    Policy,
    PolicyError,
    PolicyVersionInfo,
    ExpectedReturns,
    SimulationChange,
    SimulatedOffer,
    SimulationCurrency,
    SimulationResult,
    UpdatePolicyResult,
    ValidatePolicyResult,
)
from saleor_cs_app.ui.types import money

SIMULATION_DAYS = (1, 366)


def live_policy(info: strawberry.Info) -> Policy:
    return _load(info)


def policy_schema(info: strawberry.Info) -> JSON:
    return policy_json_schema()


def validate_policy(info: strawberry.Info, policy: JSON) -> ValidatePolicyResult:
    errors = _errors_of(policy)
    return ValidatePolicyResult(ok=not errors, errors=errors)


def update_policy(info: strawberry.Info, policy: JSON) -> UpdatePolicyResult:
    """Nothing is saved unless the whole document is valid; a save is a new version."""
    try:
        parsed = parse_policy(policy)
    except PolicyInvalid as exc:
        return UpdatePolicyResult(ok=False, errors=_mapped(exc), policy=None)
    runtime, caller = info.context.runtime, info.context.caller
    with runtime.db.transaction() as session:
        policies.save(session, caller.tenant_id, policy_to_dict(parsed), by=caller.email, now=runtime.clock())
        own_server = session.get_one(Tenant, caller.tenant_id).mail_server_ciphertext is not None
    sender_email = parsed.sender.email if parsed.sender is not None else None
    notice = sender_notice(sender_email, runtime.settings.mail_from, own_server=own_server)
    return UpdatePolicyResult(ok=True, errors=[], policy=_load(info), notice=notice)


def simulate_policy(info: strawberry.Info, policy: JSON, days: int) -> SimulationResult:
    days = max(SIMULATION_DAYS[0], min(days, SIMULATION_DAYS[1]))
    try:
        parsed = parse_policy(policy)
    except PolicyInvalid as exc:
        return SimulationResult(
            ok=False, errors=_mapped(exc), days=days, incidents=0, currencies=[], changes=[], more_changes=0
        )
    result = simulate_recent(info.context.runtime, info.context.caller.tenant_id, parsed, days)
    expected = expected_returns(info.context.runtime, info.context.caller.tenant_id, result)
    return SimulationResult(
        ok=True,
        errors=[],
        days=days,
        incidents=result.incidents,
        currencies=[
            SimulationCurrency(
                currency=c.currency,
                incidents=c.incidents,
                would_give=c.would_give,
                would_cost=money(c.would_cost),
                would_need_approval=c.would_need_approval,
                blocked_by_limits=c.blocked_by_limits,
                gave=c.gave,
                gave_cost=money(c.gave_cost),
                gave_return=_expected(expected[c.currency][0]) if c.currency in expected else None,
                would_return=_expected(expected[c.currency][1]) if c.currency in expected else None,
            )
            for c in result.by_currency
        ],
        changes=[
            SimulationChange(
                incident_id=c.incident_id,
                order_number=c.order_number,
                kind=c.kind,
                live=c.live,
                simulated=c.simulated,
                reason=c.reason,
                live_offer=SimulatedOffer(type=c.live_offer.value, value=money(c.live_value), currency=c.currency),
                simulated_offer=SimulatedOffer(
                    type=c.simulated_offer.value, value=money(c.simulated_value), currency=c.currency
                ),
                rule=c.rule,
                blocked_by=c.blocked_by,
                needs_approval=c.needs_approval,
            )
            for c in result.changes
        ],
        more_changes=result.more_changes,
    )


def _expected(found) -> ExpectedReturns:
    return ExpectedReturns(
        incidents=found.incidents, unknown=found.unknown, returning=found.returning, low=found.low, high=found.high
    )


def _load(info: strawberry.Info) -> Policy:
    runtime, caller = info.context.runtime, info.context.caller
    with runtime.db.read() as session:
        versions = policies.history(session, caller.tenant_id)
        live = versions[0] if versions else None
        return Policy(
            document=live.document if live is not None else policy_to_dict(DEFAULT_POLICY),
            version=live.version if live else None,
            created_at=live.created_at if live else None,
            created_by=live.created_by if live else None,
            history=[PolicyVersionInfo.from_row(v) for v in versions],
        )


def _errors_of(document) -> list[PolicyError]:
    try:
        parse_policy(document)
    except PolicyInvalid as exc:
        return _mapped(exc)
    return []


def _mapped(exc: PolicyInvalid) -> list[PolicyError]:
    return [PolicyError(path=path, message=message) for path, message in exc.errors]
