"""Errors as ``application/problem+json`` (RFC 9457), in the reader's language.

Every failure the API can meet is turned into a 4xx problem here, so no input answers 500:
refusals of the services, invalid requests, stale versions and database constraints. Anything
else is a defect: it is logged and answers a generic 500 problem, and the connection stays open.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Mapping
from http import HTTPStatus
from typing import Any, TypeVar
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Message, Receive, Scope, Send

from admin.http_middleware import HttpMiddleware
from core.errors import Conflict, DomainError, InvalidInput, NotFound, PermissionDenied
from core.plans.spreadsheets.problems import FileTooLarge, NotASpreadsheet
from i18n import N_, N_plural, accepted_language, gettext, ngettext

MEDIA_TYPE = "application/problem+json"
logger = logging.getLogger(__name__)
E = TypeVar("E", bound=Exception)
# What a route documents it may answer, by status, as FastAPI's ``responses`` takes it.
Responses = dict[int | str, dict[str, Any]]


class Unauthenticated(DomainError):
    """No valid API token came with the request."""


class BodyTooLarge(DomainError):
    """The request's body is past its operation's limit."""


class Unavailable(DomainError):
    """The database could not be had in time; the client may try again shortly."""


# Seconds a client is told to wait before trying again after a 503.
RETRY_AFTER = 5
DATABASE_BUSY = N_("The database is busy; try again in a few seconds.")


STATUS_BY_ERROR: list[tuple[type[DomainError], int]] = [
    (Unauthenticated, 401),
    (PermissionDenied, 403),
    (NotFound, 404),
    (Conflict, 409),
    (FileTooLarge, 413),
    (NotASpreadsheet, 415),
    (BodyTooLarge, 413),
    (InvalidInput, 422),
    (Unavailable, 503),
]
TITLES = {
    400: N_("Bad request"),
    401: N_("Authentication required"),
    403: N_("Not allowed"),
    404: N_("Not found"),
    405: N_("Method not allowed"),
    409: N_("Conflict"),
    413: N_("Too large"),
    415: N_("Unsupported file type"),
    422: N_("Invalid input"),
    500: N_("Internal error"),
    503: N_("Unavailable"),
}

HEADERS_BY_STATUS = {401: {"WWW-Authenticate": "Bearer"}, 503: {"Retry-After": str(RETRY_AFTER)}}


class CellProblem(BaseModel):
    sheet: str | None = Field(
        None,
        description="Sheet of the workbook, in the reader's language, when not the plan's own"
        " (Indicadores, Mediciones).",
    )
    row: int | None = Field(None, description="Row of the spreadsheet (1 is the header).")
    column: str | None = Field(
        None, description="Column header, as the template names it in the reader's language."
    )
    field: str | None = Field(None, description="Field or parameter concerned.")
    detail: str


class Problem(BaseModel):
    """An error, as RFC 9457 describes (``application/problem+json``)."""

    type: str = "about:blank"
    title: str = Field(description="Short summary of the kind of error.")
    status: int = Field(description="HTTP status code.")
    detail: str = Field(description="What went wrong, precisely.")
    field: str | None = Field(None, description="The input field at fault, when there is one.")
    errors: list[CellProblem] | None = Field(
        None, description="Every problem found, when there are several (by row and column)."
    )

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "type": "about:blank",
                    "title": "Entrada no válida",
                    "status": 422,
                    "detail": "El porcentaje debe ser un número entero de 0 a 100.",
                    "field": "percent",
                }
            ]
        }
    }


def problem_responses(*statuses: int) -> Responses:
    """OpenAPI entries for the problems an operation can answer."""
    return {
        status: {
            "model": Problem,
            "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
            "description": HTTPStatus(status).phrase,
        }
        for status in statuses
    }


def problems_only_as_problem_json(app: FastAPI) -> None:
    """Error answers are documented as ``application/problem+json`` only (FastAPI adds
    ``application/json`` for every response model)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = build()
            for operations in schema["paths"].values():
                for operation in operations.values():
                    for status, response in operation.get("responses", {}).items():
                        content = response.get("content", {})
                        if status.startswith(("4", "5")) and MEDIA_TYPE in content:
                            content.pop("application/json", None)
            app.openapi_schema = schema
        return app.openapi_schema

    # FastAPI documents replacing the method as the way to change the document.
    app.openapi = openapi  # type: ignore[method-assign]


def language_of(request: Request) -> str:
    return accepted_language(request.headers.get("accept-language", ""))


def problem(
    request: Request,
    status: int,
    detail: str,
    *,
    field: str | None = None,
    errors: list[CellProblem] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    language = language_of(request)
    title = TITLES.get(status)
    body = Problem(
        title=gettext(language, title) if title else HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        field=field,
        errors=errors,
    )
    return JSONResponse(
        body.model_dump(exclude_none=True),
        status_code=status,
        media_type=MEDIA_TYPE,
        headers=headers,
    )


def domain_problem(request: Request, exc: DomainError) -> JSONResponse:
    """A refusal as a problem, with the status its kind maps to."""
    status = next(code for kind, code in STATUS_BY_ERROR if isinstance(exc, kind))
    language = language_of(request)
    cells = getattr(exc, "problems", None)
    errors = (
        [
            CellProblem(
                sheet=cell.sheet_name(language),
                row=cell.row,
                column=cell.column_name(language),
                detail=cell.render(language),
            )
            for cell in cells
        ]
        if cells
        else None
    )
    headers = HEADERS_BY_STATUS.get(status)
    return problem(
        request, status, exc.render(language), field=exc.field, errors=errors, headers=headers
    )


def _unauthenticated(request: Request, exc: Unauthenticated) -> Response:
    """A browser opening a page without being signed in is sent to sign in, and back."""
    if request.method in ("GET", "HEAD") and "text/html" in request.headers.get("accept", ""):
        back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse("/signin?" + urlencode({"next": back}), status_code=303)
    return domain_problem(request, exc)


def _field_name(location: tuple[Any, ...]) -> str:
    parts = [str(part) for part in location[1:]] or [str(part) for part in location]
    return ".".join(parts)


# What pydantic refused, by the type of its error, in the reader's language; the error's
# context fills the limits. Others are told as not valid, with pydantic's words in English only.
WHOLE, NUMBER, TRUTH, DATE, MOMENT = (
    N_("{field} must be a whole number."),
    N_("{field} must be a number."),
    N_("{field} must be true or false."),
    N_("{field} must be a date (YYYY-MM-DD)."),
    N_("{field} must be a date and time with its time zone (YYYY-MM-DDTHH:MM-06:00)."),
)
REASONS = {
    "missing": N_("The {field} is required."),
    "nul_character": N_("{field} contains a character that is not allowed (NUL)."),
    "int_type": WHOLE, "int_parsing": WHOLE, "int_from_float": WHOLE,
    "float_type": NUMBER, "float_parsing": NUMBER, "decimal_type": NUMBER,
    "decimal_parsing": NUMBER,
    "bool_type": TRUTH, "bool_parsing": TRUTH,
    "string_type": N_("{field} must be a text."),
    "greater_than_equal": N_("{field} must be at least {ge}."),
    "greater_than": N_("{field} must be greater than {gt}."),
    "less_than_equal": N_("{field} must be at most {le}."),
    "less_than": N_("{field} must be less than {lt}."),
    "enum": N_("{field} must be one of: {expected}."),
    "literal_error": N_("{field} must be one of: {expected}."),
    "string_pattern_mismatch": N_("{field} does not have the expected form."),
    "date_type": DATE, "date_parsing": DATE, "date_from_datetime_parsing": DATE,
    "date_from_datetime_inexact": DATE,
    "datetime_type": MOMENT, "datetime_parsing": MOMENT, "datetime_from_date_parsing": MOMENT,
    "timezone_aware": MOMENT,
    "list_type": N_("{field} must be a list."),
    "dict_type": N_("{field} must be an object."), "model_type": N_("{field} must be an object."),
    "extra_forbidden": N_("{field} is not a field of this request."),
}  # fmt: skip
# Those that count, by the limit in the error's context that says how many.
COUNTED = {
    "string_too_short": (N_plural("{field} must have at least {n} character.",
                                  "{field} must have at least {n} characters."), "min_length"),
    "string_too_long": (N_plural("{field} may have at most {n} character.",
                                 "{field} may have at most {n} characters."), "max_length"),
    "too_short": (N_plural("{field} must have at least {n} item.",
                           "{field} must have at least {n} items."), "min_length"),
    "too_long": (N_plural("{field} may have at most {n} item.",
                          "{field} may have at most {n} items."), "max_length"),
    "decimal_max_digits": (N_plural("{field} may have at most {n} digit.",
                                    "{field} may have at most {n} digits."), "max_digits"),
    "decimal_max_places": (N_plural("{field} may have at most {n} decimal place.",
                                    "{field} may have at most {n} decimal places."),
                           "decimal_places"),
    "decimal_whole_digits": (N_plural("{field} may have at most {n} digit before the point.",
                                      "{field} may have at most {n} digits before the point."),
                             "whole_digits"),
}  # fmt: skip
# What makes the whole body unreadable as a request's fields: no JSON, or JSON but no object.
NOT_JSON = N_("The request body is not valid JSON: the error is at character {position}.")
NOT_AN_OBJECT = N_("The request body must be a JSON object.")
BODY = "body"


def _reason(language: str, field: str, error: Mapping[str, Any]) -> str:
    kind = error.get("type", "")
    context = error.get("ctx") or {}
    if kind in COUNTED:
        (singular, plural), limit = COUNTED[kind]
        return ngettext(language, singular, plural, int(context[limit]), field=field)
    message = REASONS.get(kind)
    if message is None:
        detail = gettext(language, N_("The value of {field} is not valid."), field=field)
        return f"{detail} ({error.get('msg', '')})" if language == "en" else detail
    shown = {name: str(value) for name, value in context.items()}
    if "expected" in shown:
        shown["expected"] = shown["expected"].replace(" or ", ", ")
    return gettext(language, message, **{**shown, "field": field})


def _problem(language: str, error: Mapping[str, Any]) -> CellProblem:
    """One refused part of the request; the body as a whole when it is no JSON object (the
    location of malformed JSON holds the character where it broke, not a field)."""
    location = tuple(error.get("loc", ()))
    if error.get("type") == "json_invalid":
        # The parser counts characters from 0; a person, from 1.
        position = location[1] + 1 if len(location) > 1 and isinstance(location[1], int) else 1
        return CellProblem(field=BODY, detail=gettext(language, NOT_JSON, position=position))
    if location == (BODY,):
        return CellProblem(field=BODY, detail=gettext(language, NOT_AN_OBJECT))
    field = _field_name(location)
    return CellProblem(field=field, detail=_reason(language, field, error))


def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    language = language_of(request)
    errors = [_problem(language, error) for error in exc.errors()]
    first = errors[0] if errors else CellProblem(detail=gettext(language, TITLES[422]))
    return problem(request, 422, first.detail, field=first.field, errors=errors)


FRAMEWORK_DETAILS = {
    400: N_("The request could not be read (a malformed body or form)."),
    404: N_("There is nothing at this address."),
    405: N_("This address does not accept that method."),
}


def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    """Errors of routing and request parsing, raised by the framework itself."""
    language = language_of(request)
    message = FRAMEWORK_DETAILS.get(exc.status_code) or TITLES.get(exc.status_code)
    detail = gettext(language, message) if message else HTTPStatus(exc.status_code).phrase
    return problem(request, exc.status_code, detail, headers=getattr(exc, "headers", None))


def _stale(request: Request, _exc: StaleDataError) -> JSONResponse:
    message = N_("It was changed by someone else meanwhile; reload it and try again.")
    return problem(request, 409, gettext(language_of(request), message))


def _integrity(request: Request, exc: IntegrityError) -> JSONResponse:
    logger.info("integrity error turned into 409: %s", exc.orig)
    message = N_("The change clashes with existing data (a duplicate or a missing reference).")
    return problem(request, 409, gettext(language_of(request), message))


def _data_error(request: Request, exc: DataError) -> JSONResponse:
    logger.info("data error turned into 422: %s", exc.orig)
    message = N_("A value could not be stored: it is out of range or has forbidden characters.")
    return problem(request, 422, gettext(language_of(request), message))


# SQLite's "database is locked" and PostgreSQL's lock_not_available: another transaction held
# what this one needed for longer than it may wait.
BUSY_CODES = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}
BUSY_STATES = {"55P03"}


def _busy(error: DBAPIError) -> bool:
    original = error.orig
    code = getattr(original, "sqlite_errorcode", None)
    state = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    return code in BUSY_CODES or state in BUSY_STATES


def _database_error(request: Request, exc: DBAPIError) -> JSONResponse:
    if not _busy(exc):
        raise exc
    return _unavailable(request, exc)


def _unavailable(request: Request, exc: Exception) -> JSONResponse:
    logger.warning("the database could not be had in time: %s", exc)
    return domain_problem(request, Unavailable(DATABASE_BUSY))


class UnexpectedErrors(HttpMiddleware):
    """An exception no handler knows answers a problem+json 500 with a generic detail.

    Starlette's own fallback answers text/plain and raises again, and the server then closes
    the connection; here the exception is logged and ends with the answer.
    """

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def sending(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception:
            logger.exception("unexpected error answering %s %s", scope["method"], scope["path"])
            if started:
                raise
            request = Request(scope)
            message = N_("Something went wrong on our side; try again later.")
            await problem(request, 500, gettext(language_of(request), message))(
                scope, receive, send
            )


def _answer(app: FastAPI, kind: type[E], handler: Callable[[Request, E], Response]) -> None:
    """Answer an exception of ``kind`` by ``handler``."""
    # Starlette types every handler as taking any exception; it calls this one with ``kind``'s.
    app.add_exception_handler(kind, handler)  # type: ignore[arg-type]


def install(app: FastAPI) -> None:
    app.add_middleware(UnexpectedErrors)
    problems_only_as_problem_json(app)
    _answer(app, DomainError, domain_problem)
    _answer(app, Unauthenticated, _unauthenticated)
    _answer(app, RequestValidationError, _validation_error)
    _answer(app, StarletteHTTPException, http_error)
    _answer(app, StaleDataError, _stale)
    _answer(app, IntegrityError, _integrity)
    _answer(app, DataError, _data_error)
    _answer(app, DBAPIError, _database_error)
    _answer(app, PoolTimeout, _unavailable)
