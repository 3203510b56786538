"""One error tree, mapped to HTTP in one place (`http_errors.register_error_handlers`).

Messages are safe to show: Saleor stores a register error's message and the
dashboard shows it to the merchant, so they never carry secrets, and stay
short (Saleor fails to save a message over 255 characters).
"""

from __future__ import annotations


class AppError(Exception):
    status = 500
    code = "INTERNAL_ERROR"

    def __init__(self, message: str, *, code: str | None = None, status: int | None = None):
        super().__init__(message)
        self.message = message[:250]
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status


class BadRequest(AppError):
    status = 400
    code = "BAD_REQUEST"


class Unauthorized(AppError):
    status = 401
    code = "UNAUTHORIZED"


class Forbidden(AppError):
    status = 403
    code = "FORBIDDEN"


class NotFound(AppError):
    status = 404
    code = "NOT_FOUND"


class PayloadTooLarge(AppError):
    status = 413
    code = "PAYLOAD_TOO_LARGE"


class RetryLater(AppError):
    """A transient failure: 503, so that Saleor retries the delivery."""

    status = 503
    code = "RETRY_LATER"
