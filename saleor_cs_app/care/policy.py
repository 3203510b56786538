"""The compensation policy document (SPEC §6): who gets what, within which limits.

One document per Saleor instance; the dashboard edits it and `policy export|import` reads and writes it
as YAML or JSON (parsing, error messages and the JSON Schema: `care/policy_io.py`). Unknown keys are
errors, so a typo (`montly_budget`) can never silently drop a limit.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Mapping
from decimal import Decimal
from functools import lru_cache
from typing import Annotated, Any, Literal, Union

from pydantic import AfterValidator, BaseModel, ConfigDict, Discriminator, Field, StringConstraints, Tag
from pydantic import ValidationInfo, WithJsonSchema, field_validator, model_validator
from pydantic_core import PydanticCustomError

from saleor_cs_app.care import situations
from saleor_cs_app.care.model import IncidentKind, IncidentSource, OfferType, PromiseRules

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


class AtRisk(_Doc):
    # A parcel whose probability of arriving by its deliver-by day falls under `below_probability` is at
    # risk: flagged for the merchant, and told to the customer (one heads-up) only with `notify_customer`.
    notify_customer: bool = False
    below_probability: Annotated[float, Field(gt=0, lt=1)] = 0.5


class Detection(_Doc):
    late_shipment: bool = True
    late_delivery: bool = True
    wrong_item: bool = True
    # A followed parcel silent for longer than its carrier's learned 99th-percentile gap between scans,
    # and at least `stall_floor_hours` (hours of the destination's business days), is a situation of its
    # own (care/stalls.py).
    stalled: bool = True
    stall_floor_hours: Annotated[int, Field(ge=12, le=24 * 30)] = 72
    at_risk: AtRisk = AtRisk()
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
