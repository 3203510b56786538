"""`POST /graphql`: authenticate the dashboard user, then run the query.

An unauthenticated or under-privileged caller gets HTTP 401 with a GraphQL error and no data,
before anything of the query runs (app-sdk's protected handlers answer 401 too).
"""

from __future__ import annotations

import logging

from flask import jsonify, request
from graphql import GraphQLError

from saleor_cs_app.http.runtime import current_runtime
from saleor_cs_app.ui.auth import NotAuthenticated, authenticate
from saleor_cs_app.ui.context import Context
from saleor_cs_app.ui.errors import ApiError
from saleor_cs_app.ui.schema import schema

log = logging.getLogger(__name__)


def _refusal(message: str, code: str, status: int):
    return jsonify(data=None, errors=[{"message": message, "extensions": {"code": code}}]), status


def graphql_view():
    runtime = current_runtime()
    try:
        caller = authenticate(runtime, request.headers)
    except NotAuthenticated as exc:
        log.info("dashboard call refused", extra={"reason": exc.message})
        return _refusal(exc.message, "UNAUTHENTICATED", 401)
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("query"), str):
        return _refusal("Send a JSON body with a query", "BAD_REQUEST", 400)
    variables = body.get("variables")
    result = schema.execute_sync(
        body["query"],
        variable_values=variables if isinstance(variables, dict) else None,
        operation_name=body.get("operationName") if isinstance(body.get("operationName"), str) else None,
        context_value=Context(runtime=runtime, caller=caller),
    )
    response: dict = {"data": result.data}
    if result.errors:
        response["errors"] = [_safe(e) for e in result.errors]
    return jsonify(response)


def _safe(error: GraphQLError) -> dict:
    """Our own refusals and GraphQL's validation messages are shown; anything else is 'Internal error'."""
    original = error.original_error
    if isinstance(original, ApiError):
        message, code = original.message, original.code
    elif original is None:
        message, code = error.message, "GRAPHQL_VALIDATION_FAILED"
    else:
        message, code = "Internal error", "INTERNAL_ERROR"
    out = {"message": message, "extensions": {"code": code}}
    if error.path:
        out["path"] = error.path
    return out
