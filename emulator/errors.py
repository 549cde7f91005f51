"""Errors answered the way Telegram answers them: ``{"ok": false, "error_code", "description"}``."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """A refused Bot API call; ``description`` is Telegram's text, prefixed by its status."""

    status = 400
    prefix = "Bad Request"

    def __init__(self, detail: str, parameters: dict[str, Any] | None = None) -> None:
        super().__init__(detail)
        self.description = f"{self.prefix}: {detail}" if detail else self.prefix
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
    prefix = "Unauthorized"


class Forbidden(ApiError):
    status = 403
    prefix = "Forbidden"


class NotFound(ApiError):
    status = 404
    prefix = "Not Found"


class EntityTooLarge(ApiError):
    status = 413
    prefix = "Request Entity Too Large"


class Conflict(ApiError):
    status = 409
    prefix = "Conflict"


class TooManyRequests(ApiError):
    status = 429
    prefix = "Too Many Requests"

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"retry after {retry_after}", {"retry_after": retry_after})


class ServerError(ApiError):
    """A failure on Telegram's side (500 Internal Server Error, 502 Bad Gateway)."""

    def __init__(self, status: int) -> None:
        self.status = status
        self.prefix = {500: "Internal Server Error", 502: "Bad Gateway"}.get(status, "Error")
        super().__init__("")
