"""HTTP side of the Saleor stand-in: /graphql/ (like saleor/graphql/views.py) and JWKS."""

from __future__ import annotations

import json
import time

import jwt
from graphql import GraphQLError, GraphQLSyntaxError, execute, parse, validate
from graphql.execution.values import get_variable_values
from graphql.language import FieldNode, FragmentDefinitionNode, FragmentSpreadNode, OperationDefinitionNode
from graphql.utilities import get_operation_ast, value_from_ast_untyped
from werkzeug.wrappers import Request, Response

from .engine import Ctx, field_resolver, format_error, get_schema, type_resolver

MAX_COMPLEXITY = 50000
_GATEWAY_PAGE = "<html><body><h1>{status} Error</h1><p>Injected by the Saleor stand-in.</p></body></html>"


class _Injected(Exception):
    def __init__(self, status):
        self.status = status


def _json(data, status=200) -> Response:
    return Response(json.dumps(data), status=status, content_type="application/json")


def _root_fields(operation) -> list[str]:
    if operation is None:
        return []
    return [s.name.value for s in operation.selection_set.selections if isinstance(s, FieldNode)]


def _cost(node, fragments: dict, variables: dict) -> int:
    """Saleor's query cost: one per field, and what a list field selects counted `first`
    (or `last`) times, as Saleor's cost map multiplies connections by those arguments."""
    total = 0
    for sel in getattr(getattr(node, "selection_set", None), "selections", None) or ():
        if isinstance(sel, FragmentSpreadNode):
            total += _cost(fragments[sel.name.value], fragments, variables)
        elif isinstance(sel, FieldNode):
            total += 1 + _multiplier(sel, variables) * _cost(sel, fragments, variables)
        else:
            total += _cost(sel, fragments, variables)
    return total


def _multiplier(field: FieldNode, variables: dict) -> int:
    for arg in field.arguments or ():
        if arg.name.value in ("first", "last"):
            value = value_from_ast_untyped(arg.value, variables)
            if isinstance(value, int) and value > 0:
                return value
    return 1


def _invalid(errors) -> tuple[dict, int]:
    return {"errors": [format_error(e) for e in errors]}, 400


class GraphQLApp:
    """WSGI application bound to one SaleorStandIn."""

    def __init__(self, saleor):
        self.saleor = saleor

    def __call__(self, environ, start_response):
        request = Request(environ)
        saleor = self.saleor
        body = request.get_data()
        with saleor._lock:
            saleor.requests.append(
                {"method": request.method, "path": request.path, "headers": dict(request.headers), "body": body}
            )
        if request.path == "/.well-known/jwks.json":
            response = self.jwks(request)
        elif request.path.rstrip("/") == "/graphql":
            if saleor.latency:  # a real Saleor's round trip, outside the lock so calls overlap as they would
                time.sleep(saleor.latency)
            if request.method != "POST":
                response = Response(status=405, headers={"Allow": "OPTIONS, POST"})
            else:
                response = self.graphql(request, body)
        else:
            response = Response("Not Found", status=404, content_type="text/plain")
        return response(environ, start_response)

    def jwks(self, request) -> Response:
        saleor = self.saleor
        with saleor._lock:
            saleor.jwks_requests += 1
            status = saleor._take_failure("jwks", before=True)
            keys = saleor.jwks
        if status:
            return Response(_GATEWAY_PAGE.format(status=status), status=status, content_type="text/html")
        return _json(keys)

    # ------------------------------------------------------------------ graphql

    def _auth(self, request):
        saleor = self.saleor
        raw = request.headers.get("Authorization-Bearer", "")
        parts = request.headers.get("Authorization", "").split()
        if len(parts) == 2 and parts[0].lower() in ("bearer", "jwt"):
            raw = parts[1]
        if not raw:
            return Ctx(saleor), None
        if len(raw) == 30:
            with saleor._lock:
                app = saleor._app_for_token(raw)
            if app is None:
                return Ctx(saleor), None
            return Ctx(saleor, app=app, perms=[p["code"] for p in app["permissions"]]), None
        try:
            claims = saleor._decode_jwt(raw)
        except jwt.PyJWTError as exc:
            return Ctx(saleor), {"message": str(exc), "extensions": {"exception": {"code": type(exc).__name__}}}
        user = {"__typename": "User", "id": claims.get("user_id"), "email": claims.get("email"), "isStaff": True}
        return Ctx(saleor, perms=claims.get("permissions") or [], staff_user=user), None

    def graphql(self, request, body: bytes) -> Response:
        content_type = request.mimetype
        try:
            if content_type == "application/json":
                payload = json.loads(body.decode("utf-8"))
            elif content_type == "application/graphql":
                payload = {"query": body.decode("utf-8")}
            else:
                payload = {}
        except ValueError:
            return _json(
                {"errors": [{"message": "Unable to parse query.", "extensions": {"exception": {"code": "str"}}}]}, 400
            )
        ctx, auth_error = self._auth(request)
        entries = payload if isinstance(payload, list) else [payload]
        try:
            prepared = [self._prepare(e if isinstance(e, dict) else {}) for e in entries]
        except _Injected as injected:
            return Response(
                _GATEWAY_PAGE.format(status=injected.status), status=injected.status, content_type="text/html"
            )
        results, status, fail_after = [], 200, None
        for item in prepared:
            if isinstance(item, tuple):
                results.append(item[0])
                status = max(status, item[1])
                continue
            result, after = self._execute(item, ctx, auth_error)
            results.append(result)
            fail_after = fail_after or after
        if fail_after:
            return Response(_GATEWAY_PAGE.format(status=fail_after), status=fail_after, content_type="text/html")
        return _json(results if isinstance(payload, list) else results[0], status)

    def _prepare(self, entry):
        """Parse + validate one operation; returns a dict to execute or (response, status)."""
        schema = get_schema()
        query = entry.get("query")
        variables = entry.get("variables") or {}
        operation_name = entry.get("operationName")
        if operation_name == "null":
            operation_name = None
        if not query or not isinstance(query, str):
            return _invalid([GraphQLError("Must provide a query string.")])
        try:
            document = parse(query)
        except GraphQLSyntaxError as exc:
            return _invalid([exc])
        operation = get_operation_ast(document, operation_name)
        fields = _root_fields(operation)
        with self.saleor._lock:
            for name in fields:
                status = self.saleor._take_failure(name, before=True)
                if status:
                    raise _Injected(status)
        errors = validate(schema, document)
        if errors:
            return _invalid(errors)
        if operation is None:
            if operation_name:
                return _invalid([GraphQLError(f"Unknown operation named '{operation_name}'.")])
            return _invalid([GraphQLError("Must provide operation name if query contains multiple operations.")])
        if operation.operation.value == "subscription":
            return _invalid(
                [
                    GraphQLError(
                        "Subscriptions are not allowed. You will need to either use the subscribe function "
                        "or pass allow_subscriptions=True"
                    )
                ]
            )
        if not isinstance(variables, dict):
            return _invalid([GraphQLError("Variables are invalid JSON.")])
        coerced = get_variable_values(schema, operation.variable_definitions or [], variables)
        if isinstance(coerced, list):
            return _invalid(coerced)
        fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        cost = _cost(operation, fragments, variables)
        if cost > MAX_COMPLEXITY:
            message = f"The query exceeds the maximum cost of {MAX_COMPLEXITY}. Actual cost is {cost}"
            error = {"message": message, "extensions": {"exception": {"code": "QueryCostError"}}}
            extensions = {"cost": {"requestedQueryCost": cost, "maximumAvailable": MAX_COMPLEXITY}}
            return {"errors": [error], "extensions": extensions}, 400
        return {
            "document": document,
            "operation": operation,
            "fields": fields,
            "variables": variables,
            "operation_name": operation_name,
            "cost": cost,
        }

    def _execute(self, item, ctx: Ctx, auth_error):
        saleor = self.saleor
        cost = {"cost": {"requestedQueryCost": item["cost"], "maximumAvailable": MAX_COMPLEXITY}}
        if auth_error:
            return {"errors": [auth_error], "data": {f: None for f in item["fields"]}, "extensions": cost}, None
        ctx.variables = item["variables"]
        with saleor._lock:
            result = execute(
                get_schema(),
                item["document"],
                context_value=ctx,
                variable_values=item["variables"],
                operation_name=item["operation_name"],
                field_resolver=field_resolver,
                type_resolver=type_resolver,
            )
            fail_after = None
            if isinstance(item["operation"], OperationDefinitionNode):
                for name in item["fields"]:
                    fail_after = fail_after or saleor._take_failure(name, before=False)
        response = {}
        if result.errors:
            response["errors"] = [format_error(e) for e in result.errors]
        response["data"] = result.data
        response["extensions"] = cost
        return response, fail_after
