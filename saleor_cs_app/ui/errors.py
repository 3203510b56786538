"""Errors a resolver raises on purpose: their message reaches the merchant as a GraphQL error.

Anything else that escapes a resolver is logged and shown as "Internal error" (see api.py)."""

from __future__ import annotations


class ApiError(Exception):
    def __init__(self, message: str, code: str = "BAD_REQUEST"):
        super().__init__(message)
        self.message = message
        self.code = code


class NotFoundError(ApiError):
    def __init__(self, message: str):
        super().__init__(message, "NOT_FOUND")
