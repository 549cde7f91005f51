"""Errors answered the way Telegram answers them: ``{"ok": false, "error_code", "description"}``."""

from __future__ import annotations

from typing import Any

# How Telegram begins the description of a refusal, by its HTTP status.
PREFIXES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    413: "Request Entity Too Large",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
}


class ApiError(Exception):
    """A refused Bot API call; ``description`` is Telegram's text, prefixed as for its status."""

    status = 400

    def __init__(self, detail: str, parameters: dict[str, Any] | None = None) -> None:
        super().__init__(detail)
        prefix = PREFIXES.get(self.status, "Error")
        self.description = f"{prefix}: {detail}" if detail else prefix
        self.parameters = parameters

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


class BadRequest(ApiError):
    pass


class Unauthorized(ApiError):
    status = 401


class Forbidden(ApiError):
    status = 403


class NotFound(ApiError):
    status = 404


class EntityTooLarge(ApiError):
    status = 413


class Conflict(ApiError):
    status = 409


class TooManyRequests(ApiError):
    status = 429

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"retry after {retry_after}", {"retry_after": retry_after})


class ServerError(ApiError):
    """A failure on Telegram's side (500 Internal Server Error, 502 Bad Gateway)."""

    def __init__(self, status: int) -> None:
        self.status = status
        super().__init__("")
