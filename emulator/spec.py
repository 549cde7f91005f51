"""The Bot API specification, indexed once, and the checks every request goes through.

The JSON file (``api.min.json``) lists each method's parameters and each type's fields with
their declared types. :class:`Spec` turns that into plain lookup tables when the emulator
starts, so checking a request costs only dictionary look-ups. Values arrive as JSON values
(a JSON body) or as strings (form bodies, where objects are JSON-encoded); both are turned
into the same Python values here, the way Telegram accepts either.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from emulator.errors import BadRequest

# The Bot API 10.1 as machine-readable JSON, shipped with the emulator (see its README).
SHIPPED_SPEC = Path(__file__).resolve().parent / "telegram-bot-api" / "api.min.json"
LENGTH_LIMIT = re.compile(r"(\d+)-(\d+) (characters|bytes)")
# Telegram's own wording for the limits bots most often hit.
TOO_LONG = {
    "text": "message is too long",
    "caption": "message caption is too long",
    "callback_data": "BUTTON_DATA_INVALID",
}
EMPTY = {"text": "message text is empty", "chat_id": "chat_id is empty"}
SCALARS = {"Integer", "Float", "Boolean", "String", "InputFile"}


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    types: tuple[str, ...]
    required: bool
    min_length: int | None
    max_length: int | None
    in_bytes: bool


@dataclass(frozen=True, slots=True)
class Upload:
    """A file sent in the multipart body of a request."""

    filename: str
    content_type: str
    data: bytes


def utf16_length(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units, like entity offsets)."""
    return len(text.encode("utf-16-le")) // 2


def _field(raw: dict[str, Any]) -> Field:
    low = high = None
    in_bytes = False
    if raw["types"] == ["String"] and (match := LENGTH_LIMIT.search(raw["description"])):
        low, high, in_bytes = int(match[1]), int(match[2]), match[3] == "bytes"
    return Field(raw["name"], tuple(raw["types"]), raw["required"], low, high, in_bytes)


class SpecError(Exception):
    """The specification file is missing, unreadable or not shaped like one."""


class Spec:
    """Methods and types of the Bot API, ready for checking requests."""

    def __init__(self, path: Path) -> None:
        try:
            self._index(json.loads(Path(path).read_text(encoding="utf-8")))
        except (
            OSError,
            UnicodeDecodeError,
            ValueError,
            KeyError,
            TypeError,
            AttributeError,
        ) as exc:
            raise SpecError(f"{path} is not a readable Bot API specification ({exc!r})") from None

    def _index(self, document: dict[str, Any]) -> None:
        self.version: str = document["version"]
        self.methods: dict[str, dict[str, Field]] = {
            name: {raw["name"]: _field(raw) for raw in method.get("fields", [])}
            for name, method in document["methods"].items()
        }
        self.types: dict[str, dict[str, Field]] = {
            name: {raw["name"]: _field(raw) for raw in kind.get("fields", [])}
            for name, kind in document["types"].items()
        }
        self.subtypes: dict[str, tuple[str, ...]] = {
            name: tuple(kind["subtypes"])
            for name, kind in document["types"].items()
            if kind.get("subtypes")
        }
        # Method names are case-insensitive in Telegram's router.
        self.method_names: dict[str, str] = {name.lower(): name for name in self.methods}

    def method(self, name: str) -> str | None:
        return self.method_names.get(name.lower())

    def check_call(
        self, method: str, params: dict[str, Any], uploads: dict[str, Upload]
    ) -> dict[str, Any]:
        """The parameters of a call, converted to their declared types, or :class:`BadRequest`."""
        fields = self.methods[method]
        for name in params:
            if name not in fields:
                raise BadRequest(f'unknown parameter "{name}"')
        checked: dict[str, Any] = {}
        for name, field in fields.items():
            value = params.get(name)
            if value is None and "InputFile" in field.types and name in uploads:
                value = uploads[name]
            if value is None or value == "":
                if field.required:
                    raise BadRequest(EMPTY.get(name, f'parameter "{name}" is required'))
                continue
            checked[name] = self._value(name, field, value, uploads, top=True)
        return checked

    def _value(
        self, name: str, field: Field, value: Any, uploads: dict[str, Upload], top: bool
    ) -> Any:
        nested_error: BadRequest | None = None
        for kind in field.types:
            try:
                converted = self._convert(kind, value, uploads, top)
            except BadRequest as error:
                if kind in SCALARS:  # a missing attach:// upload is never a file_id
                    raise
                # One of several allowed object types (reply_markup): the next may fit.
                nested_error = nested_error or error
                continue
            if converted is not _MISMATCH:
                if field.max_length is not None and isinstance(converted, str):
                    self._check_length(name, field, converted)
                return converted
        if nested_error is not None:
            raise nested_error
        wanted = " or ".join(field.types)
        raise BadRequest(f'parameter "{name}" must be of type {wanted}')

    @staticmethod
    def _check_length(name: str, field: Field, text: str) -> None:
        # Text and captions are measured after entity parsing, by the method itself.
        if name in ("text", "caption"):
            return
        size = len(text.encode()) if field.in_bytes else utf16_length(text)
        if field.min_length is not None and size < field.min_length:
            raise BadRequest(EMPTY.get(name) or TOO_LONG.get(name) or f'"{name}" is too short')
        if field.max_length is not None and size > field.max_length:
            raise BadRequest(TOO_LONG.get(name, f'"{name}" is too long'))

    def _convert(self, kind: str, value: Any, uploads: dict[str, Upload], top: bool) -> Any:
        if kind.startswith("Array of "):
            if top and isinstance(value, str):
                value = _json(value)
            if not isinstance(value, list):
                return _MISMATCH
            inner = Field("item", (kind[len("Array of ") :],), True, None, None, False)
            return [self._item(inner, item, uploads) for item in value]
        if kind in SCALARS:
            return _scalar(kind, value, uploads)
        if top and isinstance(value, str):
            value = _json(value)
        if not isinstance(value, dict):
            return _MISMATCH
        return self._object(kind, value, uploads)

    def _item(self, field: Field, value: Any, uploads: dict[str, Upload]) -> Any:
        converted = self._convert(field.types[0], value, uploads, top=False)
        if converted is _MISMATCH:
            raise BadRequest(f"array items must be of type {field.types[0]}")
        return converted

    def _object(self, kind: str, value: dict[str, Any], uploads: dict[str, Upload]) -> Any:
        if kind in self.subtypes:
            for subtype in self.subtypes[kind]:
                try:
                    return self._object(subtype, value, uploads)
                except BadRequest:
                    continue
            return _MISMATCH
        fields = self.types.get(kind)
        if fields is None:
            return _MISMATCH
        result: dict[str, Any] = {}
        for name, field in fields.items():
            item = value.get(name)
            if item is None:
                if field.required:
                    raise BadRequest(f'field "{name}" of {kind} is required')
                continue
            result[name] = self._value(name, field, item, uploads, top=False)
        # A "type" field names the variant of a union (BotCommandScopeChat says "chat").
        variant = _variant(kind)
        if "type" in fields and variant and result.get("type") not in (variant, None):
            raise BadRequest(f"wrong {kind} type")
        return result


_MISMATCH = object()


def _variant(kind: str) -> str | None:
    for prefix in ("BotCommandScope", "MenuButton", "InputMedia", "MessageOrigin", "ReactionType"):
        if kind.startswith(prefix) and kind != prefix:
            return re.sub(r"(?<!^)([A-Z])", r"_\1", kind[len(prefix) :]).lower()
    return None


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return _MISMATCH


def _scalar(kind: str, value: Any, uploads: dict[str, Upload]) -> Any:
    if kind == "String":
        if isinstance(value, str):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        return _MISMATCH
    if kind == "Integer":
        if isinstance(value, bool):
            return _MISMATCH
        if isinstance(value, int):
            return value
        if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
            return int(value)
        return _MISMATCH
    if kind == "Float":
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        if isinstance(value, str):
            try:
                return float(value)
            except ValueError:
                return _MISMATCH
        return _MISMATCH
    if kind == "Boolean":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false", "1", "0"):
            return value.lower() in ("true", "1")
        return _MISMATCH
    # InputFile: an upload, an attach://name reference to one, a file_id or a URL.
    if isinstance(value, Upload):
        return value
    if isinstance(value, str):
        if value.startswith("attach://"):
            upload = uploads.get(value[len("attach://") :])
            if upload is None:
                raise BadRequest("wrong file identifier/HTTP URL specified")
            return upload
        return _MISMATCH
    return _MISMATCH
