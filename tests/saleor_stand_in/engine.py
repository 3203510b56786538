"""GraphQL engine of the Saleor stand-in.

The real Saleor 3.23 SDL (tests/saleor_schema.graphql) is built once per process.
Resolution is done by one generic field resolver:

* permission checks read from the schema's own field descriptions
  ("Requires one of the following permissions: X, Y.") so protected fields and
  mutations fail exactly where Saleor's do, with Saleor's PermissionDenied message;
* computed fields come from a registry keyed by (TypeName, fieldName) (or by field
  name only, for ObjectWithMetadata helpers);
* everything else is read from plain dicts shaped like the GraphQL types; a missing
  non-null field is filled with a type-correct neutral value so answers are always
  schema-shaped.
"""

from __future__ import annotations

import base64
import json
import re
import threading
from pathlib import Path
from typing import Any, Callable

from graphql import (
    GraphQLEnumType,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    build_schema,
)

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "saleor_schema.graphql"
SALEOR_VERSION = "3.23.28"
SCHEMA_VERSION = "3.23"

_schema_lock = threading.Lock()
_schema: GraphQLSchema | None = None
FIELD_PERMS: dict[tuple[str, str], tuple[str, ...]] = {}
PRIVATE_META_FIELDS = {"privateMetadata", "privateMetafield", "privateMetafields"}

_PERM_RE = re.compile(r"Requires one of the following permissions: ([A-Z_]+(?:,?\s+[A-Z_]+)*)\.")

# Saleor's meta/permissions.py: who may read private metadata of each type.
PRIVATE_META_PERMS = {
    "Order": ("MANAGE_ORDERS", "HANDLE_TAXES"),
    "OrderLine": ("MANAGE_ORDERS", "HANDLE_TAXES"),
    "Fulfillment": ("MANAGE_ORDERS", "HANDLE_TAXES"),
    "GiftCard": ("MANAGE_GIFT_CARD",),
    "Voucher": ("MANAGE_DISCOUNTS",),
    "ProductVariant": ("MANAGE_PRODUCTS",),
    "Product": ("MANAGE_PRODUCTS",),
    "Channel": ("MANAGE_CHANNELS",),
    "TransactionItem": ("HANDLE_PAYMENTS",),
    "User": ("MANAGE_USERS",),
    "Warehouse": ("MANAGE_PRODUCTS",),
    "Shop": ("MANAGE_SETTINGS",),
    "App": ("MANAGE_APPS", "OWNER"),
}


def get_schema() -> GraphQLSchema:
    """The Saleor schema, built once per process."""
    global _schema
    if _schema is None:
        with _schema_lock:
            if _schema is None:
                schema = build_schema(SCHEMA_PATH.read_text(encoding="utf-8"))
                for type_ in schema.type_map.values():
                    if isinstance(type_, (GraphQLObjectType, GraphQLInterfaceType)):
                        for name, field in type_.fields.items():
                            match = _PERM_RE.search(field.description or "")
                            if match:
                                perms = tuple(re.split(r"[,\s]+", match.group(1).strip()))
                                FIELD_PERMS[(type_.name, name)] = perms
                _schema = schema
    return _schema


# --------------------------------------------------------------------------- ids


def gid(type_name: str, pk: Any) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def parse_gid(value: str) -> tuple[str, str]:
    """Return (type, pk) or raise ValueError."""
    raw = base64.b64decode(str(value), validate=True).decode()
    type_name, sep, pk = raw.partition(":")
    if not sep or not type_name or not pk:
        raise ValueError(value)
    return type_name, pk


def check_gid(value: str, only_type: str | None = None) -> str:
    """Saleor's from_global_id_or_error: returns the type name or raises GraphQLError."""
    try:
        type_name, _ = parse_gid(value)
    except Exception:
        suffix = f" Expected: {only_type}." if only_type else ""
        raise GraphQLError(f"Invalid ID: {value}.{suffix}") from None
    if only_type and type_name != only_type:
        raise GraphQLError(f"Invalid ID: {value}. Expected: {only_type}, received: {type_name}.")
    return type_name


# ------------------------------------------------------------------ permissions


class PermissionDenied(Exception):
    """Same class name as Saleor's, so errors carry extensions.exception.code=PermissionDenied."""

    def __init__(self, permissions=None, message=None):
        if not message:
            if permissions:
                message = "To access this path, you need one of the following permissions: " + ", ".join(permissions)
            else:
                message = "You do not have permission to perform this action"
        super().__init__(message)
        self.permissions = tuple(permissions or ())


class Ctx:
    """Per-request context: who is calling and with which permissions."""

    def __init__(self, saleor, app=None, perms=(), staff_user=None):
        self.saleor = saleor
        self.app = app
        self.perms = set(perms)
        self.staff_user = staff_user
        self.event = None  # event object when rendering a subscription
        self.variables: dict = {}

    def allowed(self, required, source=None) -> bool:
        for perm in required:
            if perm in self.perms:
                return True
            if perm == "AUTHENTICATED_APP" and self.app is not None:
                return True
            if perm == "AUTHENTICATED_STAFF_USER" and self.staff_user is not None:
                return True
            if (
                perm == "OWNER"
                and self.app is not None
                and isinstance(source, dict)
                and source.get("__typename") == "App"
                and source.get("id") == self.app.get("id")
            ):
                return True
        return False

    def require(self, required, source=None):
        if not self.allowed(required, source):
            raise PermissionDenied(required)

    @property
    def principal(self):
        return self.app if self.app is not None else self.staff_user


# -------------------------------------------------------------- field resolver

COMPUTED: dict[tuple[str, str], Callable] = {}
GENERIC: dict[str, Callable] = {}


def computed(type_name: str, field_name: str):
    def register(fn):
        COMPUTED[(type_name, field_name)] = fn
        return fn

    return register


def _default_for(type_, parent_name: str):
    if not isinstance(type_, GraphQLNonNull):
        return None
    inner = type_.of_type
    if isinstance(inner, GraphQLList):
        return []
    if isinstance(inner, GraphQLEnumType):
        return next(iter(inner.values))
    if isinstance(inner, GraphQLScalarType):
        return {
            "String": "",
            "ID": gid(parent_name, 0),
            "Int": 0,
            "Float": 0.0,
            "Boolean": False,
            "DateTime": "1970-01-01T00:00:00+00:00",
            "Date": "1970-01-01",
            "Decimal": 0,
            "PositiveDecimal": 0,
            "PositiveInt": 0,
            "Minute": 0,
            "Day": 0,
            "Weight": 0.0,
            "JSON": {},
            "JSONString": "{}",
            "Metadata": {},
            "UUID": "00000000-0000-0000-0000-000000000000",
        }.get(inner.name, "")
    if isinstance(inner, (GraphQLInterfaceType, GraphQLUnionType)):
        schema = get_schema()
        possible = schema.get_possible_types(inner)
        return {"__typename": possible[0].name} if possible else {}
    return {"__typename": inner.name}


def field_resolver(source, info, **args):
    parent = info.parent_type.name
    name = info.field_name
    ctx: Ctx = info.context
    required = FIELD_PERMS.get((parent, name))
    if name in PRIVATE_META_FIELDS and parent != "Query":
        required = PRIVATE_META_PERMS.get(parent, ("MANAGE_USERS",))
    if required:
        ctx.require(required, source)
    fn = COMPUTED.get((parent, name))
    if fn is not None:
        return fn(ctx, source, info, **args)
    if parent == "Mutation":
        raise GraphQLError(f"The Saleor stand-in does not implement the mutation {name}.")
    if isinstance(source, dict):
        if name in source:
            value = source[name]
            return value(info, **args) if callable(value) else value
        if name.endswith("Errors") and "errors" in source:
            return source["errors"]  # deprecated per-mutation error lists
        fn = GENERIC.get(name)
        if fn is not None:
            return fn(ctx, source, info, **args)
    elif source is not None and hasattr(source, name):
        return getattr(source, name)
    return _default_for(info.return_type, parent)


def type_resolver(value, info, abstract_type):
    if isinstance(value, dict) and value.get("__typename"):
        return value["__typename"]
    possible = info.schema.get_possible_types(abstract_type)
    return possible[0].name if possible else None


# ------------------------------------------------------------ metadata helpers


def meta_list(value) -> list[dict]:
    """{"k": "v"} or [{"key","value"}] -> Saleor's [MetadataItem]."""
    if value is None:
        return []
    if isinstance(value, dict):
        value = [{"key": k, "value": v} for k, v in value.items()]
    return [{"__typename": "MetadataItem", "key": i["key"], "value": str(i["value"])} for i in value]


def meta_dict(items) -> dict:
    return {i["key"]: i["value"] for i in items or []}


def _metafield(private):
    def fn(ctx, source, info, key):
        return meta_dict(source.get("privateMetadata" if private else "metadata")).get(key)

    return fn


def _metafields(private):
    def fn(ctx, source, info, keys=None):
        data = meta_dict(source.get("privateMetadata" if private else "metadata"))
        return {k: v for k, v in data.items() if keys is None or k in keys}

    return fn


GENERIC.update(
    metafield=_metafield(False),
    privateMetafield=_metafield(True),
    metafields=_metafields(False),
    privateMetafields=_metafields(True),
    metadata=lambda ctx, source, info, **a: [],
    privateMetadata=lambda ctx, source, info, **a: [],
)


# ------------------------------------------------------------------ pagination


def _cursor(values) -> str:
    return base64.b64encode(
        json.dumps([None if v is None else str(v) for v in values], separators=(",", ":")).encode()
    ).decode()


def _uncursor(cursor: str) -> list:
    try:
        parsed = json.loads(base64.b64decode(cursor, validate=True))
    except Exception:
        raise GraphQLError("Received cursor is invalid.") from None
    if not isinstance(parsed, list):
        raise GraphQLError("Received cursor is invalid.")
    return parsed


def connection(items, info, key: Callable, *, first=None, last=None, after=None, before=None, **_):
    """Relay connection over `items` (already in the wanted order); `key(item)` is a
    tuple unique per item, used for Saleor-like opaque cursors."""
    if not (first or last):
        raise GraphQLError(
            f"You must provide a `first` or `last` value to properly paginate the `{info.field_name}` connection."
        )
    for arg, value in (("first", first), ("last", last)):
        if value is not None and value > 100:
            raise GraphQLError(
                f"Requesting {value} records on the `{info.field_name}` connection "
                f"exceeds the `{arg}` limit of 100 records."
            )
        if value is not None and value < 0:
            raise GraphQLError(f"Argument `{arg}` on connection cannot be less than 0.")
    keys = [[str(v) for v in key(i)] for i in items]
    start, end = 0, len(items)
    if after is not None:
        target = _uncursor(after)
        start = keys.index(target) + 1 if target in keys else len(items)
    if before is not None:
        target = _uncursor(before)
        end = keys.index(target) if target in keys else end
    window = list(range(start, max(start, end)))
    if first is not None:
        window = window[:first]
    if last is not None:
        window = window[-last:] if last else []
    has_prev = bool(window) and window[0] > 0
    has_next = bool(window) and window[-1] < len(items) - 1
    edges = [{"__typename": "Edge", "node": items[i], "cursor": _cursor(keys[i])} for i in window]
    return {
        "edges": edges,
        "totalCount": len(items),
        "pageInfo": {
            "hasNextPage": has_next,
            "hasPreviousPage": has_prev,
            "startCursor": edges[0]["cursor"] if edges else None,
            "endCursor": edges[-1]["cursor"] if edges else None,
        },
    }


# ---------------------------------------------------------------- error format


def format_error(error) -> dict:
    """Saleor's graphql/utils.format_error without stacktrace (DEBUG off)."""
    if isinstance(error, GraphQLError):
        result = dict(error.formatted)
        original = error
        while isinstance(original, GraphQLError) and original.original_error is not None:
            original = original.original_error
    else:
        result = {"message": str(error)}
        original = error
    result.pop("extensions", None)
    result["extensions"] = {"exception": {"code": type(original).__name__}}
    return result
