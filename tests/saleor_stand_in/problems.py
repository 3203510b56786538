"""App problems of the Saleor stand-in (Saleor 3.22+): appProblemCreate, appProblemDismiss, App.problems.

As Saleor's saleor/graphql/app/mutations/app_problem_*.py behave: the caller must be an app; message at
least 3 characters (longer than 2048 cut to 2048 with "..."); key 3–128 characters; a problem with the
same key, not dismissed, created within `aggregationPeriod` minutes (default 60; 0 = always new) is
counted again instead of added; `criticalThreshold` makes it critical once the count reaches it;
dismissing byApp takes ids or keys (not both, at most 100) and only the caller's own problems.
`saleor.app_problems_supported = False` plays a Saleor before 3.22: the mutations do not exist.
"""

from __future__ import annotations

import datetime as dt

from graphql import GraphQLError

from . import data
from .engine import computed, gid
from .mutations import MutationError, err, mutation


def _store(saleor) -> list[dict]:
    if not hasattr(saleor, "app_problems"):
        saleor.app_problems = []
    return saleor.app_problems


def _require_support(saleor, name: str) -> None:
    if not getattr(saleor, "app_problems_supported", True):
        raise GraphQLError(f'Cannot query field "{name}" on type "Mutation".')


def _caller_app(ctx):
    if not ctx.app:
        raise GraphQLError("You do not have permission to perform this action")
    return ctx.app


@mutation("appProblemCreate")
def app_problem_create(ctx, info, input):
    saleor = ctx.saleor
    _require_support(saleor, "appProblemCreate")
    app = _caller_app(ctx)
    message, key = input.get("message") or "", input.get("key") or ""
    if len(message) < 3:
        raise MutationError(err("message", "Ensure this value has at least 3 characters.", "INVALID"))
    if not 3 <= len(key) <= 128:
        raise MutationError(err("key", "Ensure this value has between 3 and 128 characters.", "INVALID"))
    if len(message) > 2048:
        message = message[:2045] + "..."
    period = input.get("aggregationPeriod", 60)
    threshold = input.get("criticalThreshold")
    now = saleor.clock()
    with saleor._lock:
        problems = _store(saleor)
        recent = [
            p
            for p in problems
            if p["_app"] == app["id"]
            and p["key"] == key
            and p["dismissed"] is None
            and period
            and now - dt.datetime.fromisoformat(p["createdAt"]) <= dt.timedelta(minutes=period)
        ]
        if recent:
            problem = recent[-1]
            problem["count"] += 1
            problem["message"], problem["updatedAt"] = message, data.iso(now)
        else:
            problem = {
                "__typename": "AppProblem",
                "id": gid("AppProblem", len(problems) + 1),
                "_app": app["id"],
                "key": key,
                "message": message,
                "count": 1,
                "createdAt": data.iso(now),
                "updatedAt": data.iso(now),
                "dismissed": None,
                "_threshold": None,
            }
            problems.append(problem)
        if threshold is not None:
            problem["_threshold"] = threshold
        problem["isCritical"] = problem["_threshold"] is not None and problem["count"] >= problem["_threshold"]
    return {"appProblem": problem, "errors": []}


@mutation("appProblemDismiss")
def app_problem_dismiss(ctx, info, input):
    saleor = ctx.saleor
    _require_support(saleor, "appProblemDismiss")
    given = [k for k in ("byApp", "byStaffWithIds", "byStaffWithKeys") if input.get(k)]
    if len(given) != 1:
        raise MutationError(err(None, "Exactly one of byApp, byStaffWithIds, byStaffWithKeys is required.", "INVALID"))
    if given != ["byApp"]:
        raise MutationError(err(given[0], "Only staff users can use this input.", "INVALID"))
    app = _caller_app(ctx)
    ids, keys = input["byApp"].get("ids"), input["byApp"].get("keys")
    if bool(ids) == bool(keys):
        raise MutationError(err("byApp", "Provide either ids or keys.", "INVALID"))
    if len(ids or keys) > 100:
        raise MutationError(err("byApp", "At most 100 items.", "INVALID"))
    with saleor._lock:
        problems = _store(saleor)
        if ids and any(p["id"] in ids and p["_app"] != app["id"] for p in problems):
            raise MutationError(err("ids", "Cannot dismiss problems of another app.", "OUT_OF_SCOPE_APP"))
        for p in problems:
            if p["_app"] == app["id"] and (p["id"] in (ids or ()) or p["key"] in (keys or ())):
                p["dismissed"] = {"__typename": "AppProblemDismissed", "by": "APP", "user": None, "userEmail": None}
    return {"errors": []}


@computed("App", "problems")
def app_problems(ctx, app, info, limit=None):
    if not getattr(ctx.saleor, "app_problems_supported", True):
        raise GraphQLError('Cannot query field "problems" on type "App".')
    mine = [p for p in _store(ctx.saleor) if p["_app"] == app["id"]]
    return mine[: limit or 100]
