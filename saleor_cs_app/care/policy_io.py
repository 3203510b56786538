"""The policy document as text: YAML/JSON parsing, errors named by path, export, JSON Schema, the default.

The document itself (its classes and their validation) is `care/policy.py`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from saleor_cs_app.care.model import OfferType
from saleor_cs_app.care.policy import _MAP_TAG, _NUMBER_TAG, _PATTERN_MESSAGES, Policy
from saleor_cs_app.errors import BadRequest


class PolicyInvalid(BadRequest):
    """The document does not validate; `.errors` is a list of (path, message)."""

    code = "POLICY_INVALID"

    def __init__(self, errors: list[tuple[str, str]]):
        self.errors = errors
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(f"{path or '(document)'}: {message}" for path, message in self.errors)


def parse_policy(data: Mapping[str, Any] | str) -> Policy:
    """Validate a policy document (a mapping, or YAML or JSON text); raise PolicyInvalid naming each path."""
    if isinstance(data, str):
        data = _load_text(data)
    if not isinstance(data, Mapping):
        raise PolicyInvalid([("", "must be a mapping of keys to values")])
    try:
        return Policy.model_validate(dict(data))
    except ValidationError as exc:
        raise PolicyInvalid(_errors(exc.errors())) from None


def _errors(raw: list[Any]) -> list[tuple[str, str]]:
    errors: list[tuple[str, str]] = []
    for err in raw:
        loc = err["loc"]
        if err["type"] == "too_short" and any(o["loc"][: len(loc)] == loc != o["loc"] for o in raw):
            continue  # pydantic also calls a list "too short" when its only item was invalid
        if err["type"] == "rule_name":
            loc = ("rules", err["ctx"]["b"], "name")
        item = (_path(loc), _message(err))
        if item not in errors:
            errors.append(item)
    return errors


def policy_to_dict(policy: Policy) -> dict[str, Any]:
    """The full document as plain JSON/YAML-ready values; `parse_policy` of it gives the policy back."""
    return _plain(policy)


def policy_to_yaml(policy: Policy) -> str:
    return yaml.safe_dump(policy_to_dict(policy), sort_keys=False, allow_unicode=True)


def policy_json_schema() -> dict[str, Any]:
    schema = Policy.model_json_schema(mode="validation")
    defs = schema["$defs"]
    defs["OfferSpec"] = {"anyOf": [defs["OfferSpec"], {"const": OfferType.APOLOGY_ONLY.value}]}
    _close_maps(schema)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def _close_maps(node: Any) -> None:
    """Maps keyed by pattern (currencies, languages) accept no other keys, as the validator does."""
    if isinstance(node, dict):
        if "patternProperties" in node:
            node.setdefault("additionalProperties", False)
        for value in node.values():
            _close_maps(value)
    elif isinstance(node, list):
        for value in node:
            _close_maps(value)


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        out = {}
        for name, field in type(value).model_fields.items():
            item = getattr(value, name)
            if item is None and field.default is None:
                continue  # left out = default; a None whose default is not None (no expiry) is kept
            out[name] = _plain(item)
        return out
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        # At most 14 digits (validated), so a float's shortest repr reads back as the same Decimal.
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, str):
        return str(value)  # StrEnum → its value
    return value


def _path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if part in (_NUMBER_TAG, _MAP_TAG, "[key]"):
            continue
        if isinstance(part, int):
            out += f"[{part}]"
        elif re.fullmatch(r"[A-Za-z_][\w-]*", part):
            out += f".{part}" if out else part
        else:
            out += f"[{json.dumps(part)}]"
    return out


_SIMPLE_MESSAGES = {
    kind: message
    for message, kinds in {
        "is required": "missing",
        "unknown key": "extra_forbidden",
        "must be a list": "list_type tuple_type",
        "must be a whole number": "int_type int_parsing int_from_float",
        "must be true or false": "bool_type bool_parsing",
        "must be a number": "decimal_type decimal_parsing finite_number",
        "has too many digits": "decimal_max_digits",
        "must be text": "string_type",
        "must be a mapping": "dict_type model_type model_attributes_type",
        "must not be empty": "string_too_short too_short",
    }.items()
    for kind in kinds.split()
}
_COMPARISONS = {"greater_than": ">", "greater_than_equal": ">=", "less_than": "<", "less_than_equal": "<="}


def _message(err: Mapping[str, Any]) -> str:
    kind, ctx = err["type"], err.get("ctx") or {}
    if kind in _SIMPLE_MESSAGES:
        return _SIMPLE_MESSAGES[kind]
    if kind in _COMPARISONS:
        return f"must be {_COMPARISONS[kind]} {next(iter(ctx.values()))}"
    if kind == "decimal_max_places":
        return f"must have at most {ctx['decimal_places']} decimal places"
    if kind == "string_pattern_mismatch":
        return _PATTERN_MESSAGES.get(ctx.get("pattern"), "has the wrong format")
    if kind == "string_too_long":
        return f"must be at most {ctx['max_length']} characters"
    if kind == "too_long":
        return f"must have at most {ctx['max_length']} items"
    if kind in ("literal_error", "enum"):
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
        return f"must be {'one of: ' if ',' in expected else ''}{expected}"
    msg = str(err["msg"]).removeprefix("Value error, ")
    return msg.replace("Input should be", "must be")


class _Loader(yaml.SafeLoader):
    """Safe YAML where only true/false are booleans (YAML 1.1 reads `country: NO`, Norway, as false),
    aliases are refused (an alias bomb expands exponentially in validation) and duplicate keys are errors."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.MarkedYAMLError(problem="aliases (*name) are not allowed", problem_mark=mark)
        return super().compose_node(parent, index)

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, (str, int, float, bool)):
                continue  # unhashable keys are refused by the base class
            if key in seen:
                raise yaml.MarkedYAMLError(problem=f"duplicate key {key!r}", problem_mark=key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_Loader.yaml_implicit_resolvers = {
    first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _load_text(text: str) -> Any:
    if not text.strip():
        raise PolicyInvalid([("", "the document is empty")])
    if text.lstrip().startswith("{"):
        try:
            return json.loads(text, parse_float=Decimal)
        except json.JSONDecodeError as exc:
            raise PolicyInvalid([("", f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})")]) from None
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 — _Loader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise PolicyInvalid([("", f"not valid YAML: {exc.problem}{where}")]) from None
    except yaml.YAMLError as exc:
        raise PolicyInvalid([("", f"not valid YAML: {exc}")]) from None


# What a fresh install does before anyone edits the policy.
DEFAULT_POLICY = parse_policy(
    """
limits:
  per_customer: {max: 1, days: 90}
  monthly_budget: {EUR: 500, USD: 500, PLN: 2000}
  manual_approval_above: {EUR: 50, USD: 50, PLN: 200}
rules:
  - name: Late
    when: {kinds: [late_shipment, late_delivery, attempt_failed, pickup_waiting, held, stalled, lost, returned]}
    offer: {free_shipping_voucher: {expires_in_days: 90}}
  - {name: Wrong item, when: {kinds: [wrong_item]}, offer: {reship: {}}, approval: manual}
"""
)
