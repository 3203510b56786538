"""The compensation policy document (SPEC §6): who gets what, within which limits.

One document per Saleor instance; the dashboard edits it and `policy export|import` reads and writes it
as YAML or JSON. Unknown keys are errors, so a typo (`montly_budget`) can never silently drop a limit.
"""

from __future__ import annotations

import json
import re
import zoneinfo
from collections.abc import Mapping
from decimal import Decimal
from functools import lru_cache
from typing import Annotated, Any, Literal, Union

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Discriminator, Field, StringConstraints, Tag
from pydantic import ValidationError, ValidationInfo, WithJsonSchema, field_validator, model_validator
from pydantic_core import PydanticCustomError

from saleor_cs_app.care import situations
from saleor_cs_app.care.model import IncidentKind, IncidentSource, OfferType, PromiseRules
from saleor_cs_app.errors import BadRequest

_CURRENCY = r"^[A-Z]{3}$"
_COUNTRY = r"^[A-Z]{2}$"
_LANGUAGE = r"^[a-z]{2}$"
_EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
_ONE_LINE = r"^[^\r\n]*$"  # sender name and subject end up in mail headers
_PATTERN_MESSAGES = {
    _CURRENCY: "must be a 3-letter currency code like EUR",
    _COUNTRY: "must be a 2-letter country code like PL",
    _LANGUAGE: "must be a 2-letter language code like fi",
    _EMAIL: "must be an e-mail address",
    _ONE_LINE: "must be a single line",
}
_NUMBER_TAG, _MAP_TAG = "<number>", "<map>"  # union branch names pydantic puts in error paths; dropped
_zones = lru_cache(maxsize=1)(lambda: frozenset(zoneinfo.available_timezones()) | {"UTC"})


def _number(**bounds: int) -> Any:
    """A Decimal that is published in the JSON Schema as a plain number (pydantic would add "string")."""
    names = {"gt": "exclusiveMinimum", "ge": "minimum", "le": "maximum"}
    schema = {"type": "number", **{names[k]: v for k, v in bounds.items()}}
    return Annotated[Decimal, Field(decimal_places=4, max_digits=14, **bounds), WithJsonSchema(schema)]


def _amount(money: Any) -> Any:
    """A number in the order's currency, or a map currency → number."""
    return Annotated[
        Union[
            Annotated[money, Tag(_NUMBER_TAG)],
            Annotated[dict[Currency, money], Field(min_length=1), Tag(_MAP_TAG)],
        ],
        Discriminator(lambda v: _MAP_TAG if isinstance(v, Mapping) else _NUMBER_TAG),
    ]


def _timezone(value: str) -> str:
    if value not in _zones():
        raise PydanticCustomError("timezone", "must be a time zone like Europe/Warsaw")
    return value


def _one_or_many(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


Currency = Annotated[str, StringConstraints(pattern=_CURRENCY)]
Country = Annotated[str, StringConstraints(pattern=_COUNTRY)]
Language = Annotated[str, StringConstraints(pattern=_LANGUAGE)]
Timezone = Annotated[str, AfterValidator(_timezone)]
NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255)]
Days = Annotated[int, Field(ge=0, le=365)]
PositiveMoney = _number(gt=0)
NonNegativeMoney = _number(ge=0)
Percent = _number(gt=0, le=100)
PercentOrZero = _number(ge=0, le=100)
Amount = _amount(PositiveMoney)  # gift card and refund amounts, caps
Threshold = _amount(NonNegativeMoney)  # order totals in `when`
Expiry = Annotated[int, Field(ge=1, le=3650)] | None  # days; null = never expires


def amount_in(amount: Decimal | Mapping[str, Decimal], currency: str) -> Decimal | None:
    """The amount for an order in `currency`; None when a per-currency map has no entry for it."""
    return amount.get(currency) if isinstance(amount, Mapping) else amount


class _Doc(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Sender(_Doc):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100, pattern=_ONE_LINE)]
    email: Annotated[str, StringConstraints(strip_whitespace=True, max_length=254, pattern=_EMAIL)]


class ChannelPromises(_Doc):
    """Per-channel overrides; a key left out falls back to the top-level promise."""

    handling_days: Days | None = None
    count_from: Literal["paid", "created"] | None = None
    cutoff_hour: Annotated[int, Field(ge=0, le=23)] | None = None
    delivery_grace_days: Days | None = None
    default_delivery_days: Annotated[int, Field(ge=1, le=365)] | None = None
    country: Country | None = None
    timezone: Timezone | None = None


class Promises(_Doc):
    handling_days: Days = 2
    count_from: Literal["paid", "created"] = "paid"
    cutoff_hour: Annotated[int, Field(ge=0, le=23)] = 14
    delivery_grace_days: Days = 1
    default_delivery_days: Annotated[int, Field(ge=1, le=365)] = 5
    country: Country | None = None  # default for channels that name none; None = weekends only
    timezone: Timezone | None = None  # None: the zone of the channel's country (UTC when unknown)
    channels: dict[NonEmpty, ChannelPromises] = {}


class Detection(_Doc):
    late_shipment: bool = True
    late_delivery: bool = True
    wrong_item: bool = True
    delivery_status_key: NonEmpty = "delivery.status"
    scanned_skus_key: NonEmpty = "packing.scanned_skus"


class PerCustomer(_Doc):
    max: Annotated[int, Field(ge=0)] = 1
    days: Annotated[int, Field(ge=1, le=3660)] = 90


class Limits(_Doc):
    per_customer: PerCustomer = PerCustomer()
    # Empty = no cap. Non-empty = currencies left out get no goodwill at all (see decide()).
    monthly_budget: dict[Currency, NonNegativeMoney] = {}
    # Empty = no threshold. Non-empty = offers in currencies left out always wait for a person.
    manual_approval_above: dict[Currency, NonNegativeMoney] = {}


class When(_Doc):
    kinds: Annotated[tuple[IncidentKind, ...], Field(min_length=1)] | None = None
    min_days_late: Annotated[int, Field(ge=0)] | None = None
    channels: Annotated[tuple[NonEmpty, ...], Field(min_length=1)] | None = None
    min_order_total: Threshold | None = None
    max_order_total: Threshold | None = None
    first_order: bool | None = None
    sources: Annotated[tuple[IncidentSource, ...], Field(min_length=1)] | None = None
    # A customer's proposed fix (support page) worth at most this; other incidents never match it.
    max_proposal_value: Threshold | None = None

    _lists = field_validator("kinds", "channels", "sources", mode="before")(_one_or_many)

    @model_validator(mode="after")
    def _range(self) -> When:
        low, high = self.min_order_total, self.max_order_total
        if low is None or high is None:
            return self
        for currency in {"", *(k for m in (low, high) if isinstance(m, Mapping) for k in m)}:
            a, b = amount_in(low, currency), amount_in(high, currency)
            if a is not None and b is not None and a > b:
                raise PydanticCustomError("order_total_range", "min_order_total must not be above max_order_total")
        return self


class ApologyOnly(_Doc):
    pass


class GiftCard(_Doc):
    amount: Amount | None = None
    percent_of_order: Percent | None = None
    max_amount: Amount | None = None  # caps percent_of_order
    expires_in_days: Expiry = 365

    @model_validator(mode="after")
    def _one_amount(self) -> GiftCard:
        if (self.amount is None) == (self.percent_of_order is None):
            raise PydanticCustomError("gift_card_amount", "give either amount or percent_of_order")
        if self.max_amount is not None and self.percent_of_order is None:
            raise PydanticCustomError("gift_card_cap", "max_amount only goes with percent_of_order")
        return self


class FreeShippingVoucher(_Doc):
    expires_in_days: Expiry = 90


class GiftProduct(_Doc):
    sku: NonEmpty
    quantity: Annotated[int, Field(ge=1, le=100)] = 1


class PartialRefund(_Doc):
    percent: Percent | None = None  # of the order total
    amount: Amount | None = None  # capped at the order total

    @model_validator(mode="after")
    def _one_amount(self) -> PartialRefund:
        if (self.percent is None) == (self.amount is None):
            raise PydanticCustomError("refund_amount", "give either percent or amount")
        return self


class Reship(_Doc):
    keep_item_discount_percent: PercentOrZero = Decimal(0)


_OFFER_KEYS = tuple(t.value for t in OfferType)
# The error type of an offer that does not fit a kind its rule names; a stored policy skips such a rule.
OFFER_UNFIT = "offer_unfit"


class OfferSpec(_Doc):
    """Exactly one key. `offer: apology_only` is accepted as a shorthand for `{apology_only: {}}`."""

    model_config = ConfigDict(json_schema_extra={"minProperties": 1, "maxProperties": 1})

    apology_only: ApologyOnly | None = None
    gift_card: GiftCard | None = None
    free_shipping_voucher: FreeShippingVoucher | None = None
    gift_product: GiftProduct | None = None
    partial_refund: PartialRefund | None = None
    reship: Reship | None = None

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        if data == OfferType.APOLOGY_ONLY.value:
            return {"apology_only": {}}
        if isinstance(data, str):
            raise PydanticCustomError(
                "offer", "must be apology_only or a mapping with one of: " + ", ".join(_OFFER_KEYS)
            )
        if isinstance(data, Mapping) and data.get("apology_only", {}) in (None, True):
            return {**data, "apology_only": {}}  # `apology_only:` with no value, or `apology_only: true`
        return data

    @model_validator(mode="after")
    def _exactly_one(self) -> OfferSpec:
        if sum(getattr(self, key) is not None for key in _OFFER_KEYS) != 1:
            raise PydanticCustomError("offer", "choose exactly one of: " + ", ".join(_OFFER_KEYS))
        return self

    @property
    def type(self) -> OfferType:
        return next(OfferType(key) for key in _OFFER_KEYS if getattr(self, key) is not None)

    @property
    def params(self) -> _Doc:
        return getattr(self, self.type.value)


class Rule(_Doc):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    when: When = When()
    offer: OfferSpec
    approval: Literal["auto", "manual"] = "auto"

    @field_validator("offer")
    @classmethod
    def _fits_every_kind(cls, offer: OfferSpec, info: ValidationInfo) -> OfferSpec:
        # A rule's offer is carried out and worded for every incident it matches, so it must make
        # sense for each kind it names. A rule naming no kinds matches only the kinds its offer fits
        # (care/decide.matching_rule).
        when = info.data.get("when")
        if when is None:  # `when` itself was invalid; that error is reported already
            return offer
        for kind in when.kinds or ():
            reason = situations.why_unfit(kind, offer.type)
            if reason is not None:
                raise PydanticCustomError(OFFER_UNFIT, reason)
        return offer


class Template(_Doc):
    subject: Annotated[str, StringConstraints(max_length=500, pattern=_ONE_LINE)] | None = None
    text: Annotated[str, StringConstraints(max_length=50_000)] | None = None
    html: Annotated[str, StringConstraints(max_length=200_000)] | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> Template:
        if self.subject is None and self.text is None and self.html is None:
            raise PydanticCustomError("template", "give at least one of subject, text, html")
        return self


CustomerFix = Literal["keep_with_discount", "replacement", "refund", "shop_decides"]


class Support(_Doc):
    """What the customer may propose on the support page; "let the shop decide" is always offered."""

    fixes: Annotated[tuple[CustomerFix, ...], Field(min_length=1)] = (
        "keep_with_discount",
        "replacement",
        "refund",
        "shop_decides",
    )


class Policy(_Doc):
    model_config = ConfigDict(title="saleor-cs-app policy")

    version: Literal[1] = 1
    sender: Sender | None = None  # None: the operator's MAIL_FROM
    promises: Promises = Promises()
    detection: Detection = Detection()
    limits: Limits = Limits()
    rules: Annotated[tuple[Rule, ...], Field(max_length=200)] = ()  # first match wins; none = apology only
    templates: dict[IncidentKind, dict[Language, Template]] = {}
    support: Support = Support()

    @field_validator("rules")
    @classmethod
    def _unique_names(cls, rules: tuple[Rule, ...]) -> tuple[Rule, ...]:
        # Decisions are recorded by rule name, so two rules with one name would be indistinguishable.
        seen: dict[str, int] = {}
        for i, rule in enumerate(rules):
            if rule.name in seen:
                raise PydanticCustomError(
                    "rule_name",
                    "rules[{a}] already has the name '{name}'",
                    {"a": seen[rule.name], "b": i, "name": rule.name},
                )
            seen[rule.name] = i
        return rules

    def promises_for(self, channel_slug: str) -> PromiseRules:
        top, own = self.promises, self.promises.channels.get(channel_slug)

        def pick(key: str) -> Any:
            value = getattr(own, key) if own is not None else None
            return getattr(top, key) if value is None else value

        keys = ("handling_days", "count_from", "cutoff_hour", "delivery_grace_days", "default_delivery_days")
        return PromiseRules(**{k: pick(k) for k in keys}, country=pick("country"), timezone=pick("timezone"))


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
    when: {kinds: [late_shipment, late_delivery, attempt_failed, pickup_waiting, held, lost, returned]}
    offer: {free_shipping_voucher: {expires_in_days: 90}}
  - {name: Wrong item, when: {kinds: [wrong_item]}, offer: {reship: {keep_item_discount_percent: 50}}, approval: manual}
"""
)
