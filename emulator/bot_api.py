"""The Bot API methods a bot calls, answering with real Bot API objects.

Parameters reach these handlers already checked against the specification and converted to
their declared types (see :mod:`emulator.spec`); here come the checks that depend on state
(the chat exists, the message to edit is there) and the limits Telegram writes in prose.
"""

from __future__ import annotations

import io
import json
import re
import time
import warnings
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from emulator import entities as formatting
from emulator.errors import BadRequest, Conflict, Forbidden
from emulator.limits import RateLimiter
from emulator.spec import Upload, utf16_length
from emulator.world import (
    DEFAULT_UPDATES,
    BotState,
    ChatLog,
    JsonObject,
    StoredFile,
    Webhook,
    World,
)

Handler = Callable[[BotState, dict[str, Any]], Awaitable[Any]]

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_BUTTONS = 100
MAX_ROW = 8
DOWNLOAD_LIMIT = 20 * 1024 * 1024
CHAT_ACTIONS = {
    "typing",
    "upload_photo",
    "record_video",
    "upload_video",
    "record_voice",
    "upload_voice",
    "upload_document",
    "choose_sticker",
    "find_location",
    "record_video_note",
    "upload_video_note",
}
COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")
SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
MEDIA = {
    # method: (parameter, folder of stored files, Message field)
    "sendPhoto": ("photo", "photos", "photo"),
    "sendDocument": ("document", "documents", "document"),
    "sendVoice": ("voice", "voice", "voice"),
    "sendVideo": ("video", "videos", "video"),
}
PROFILE_FIELDS = ("name", "description", "short_description")
# What a forwarded or copied message carries over from the original.
CONTENT_FIELDS = (
    "text",
    "entities",
    "photo",
    "document",
    "voice",
    "video",
    "location",
    "contact",
    "sticker",
    "caption",
    "caption_entities",
)
FILE_TYPES = {"photos": "Photo", "documents": "Document", "voice": "Voice", "videos": "Video"}


def image_size(data: bytes) -> tuple[int, int] | None:
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            opened = Image.open(io.BytesIO(data))
        with opened as image:
            return image.size
    # Pillow refuses (or warns) to open an image of too many pixels: its size is then not told.
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        return None


def media_object(stored: StoredFile, field: str, params: dict[str, Any] | None = None) -> Any:
    """The Message field describing a stored file (a list of sizes for photos)."""
    params = params or {}
    base = {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": stored.size,
    }
    if field == "photo":
        return [{**base, "width": stored.width, "height": stored.height}]
    if field == "voice":
        return {**base, "duration": params.get("duration", 1), "mime_type": stored.mime_type}
    if field == "video":
        return {
            **base,
            "width": params.get("width", stored.width),
            "height": params.get("height", stored.height),
            "duration": params.get("duration", 1),
            "file_name": stored.file_name,
            "mime_type": stored.mime_type,
        }
    return {**base, "file_name": stored.file_name, "mime_type": stored.mime_type}


def commands_key(scope: JsonObject | None, language_code: str) -> tuple[str, str]:
    """Commands are kept per scope and language, as Telegram keeps them."""
    return json.dumps(scope or {"type": "default"}, sort_keys=True), language_code


class BotApi:
    """One handler per supported method, sharing the world with the control API."""

    def __init__(self, world: World, limiter: RateLimiter, download_limit: int = DOWNLOAD_LIMIT):
        self.world = world
        self.limiter = limiter
        self.download_limit = download_limit
        self.on_webhook_change: Callable[[BotState], None] = lambda bot: None
        self.handlers: dict[str, Handler] = {
            "getMe": self.get_me,
            "logOut": self.log_out,
            "close": self.log_out,
            "getUpdates": self.get_updates,
            "setWebhook": self.set_webhook,
            "deleteWebhook": self.delete_webhook,
            "getWebhookInfo": self.get_webhook_info,
            "sendMessage": self.send_message,
            "sendPhoto": partial(self.send_media, "sendPhoto"),
            "sendDocument": partial(self.send_media, "sendDocument"),
            "sendVoice": partial(self.send_media, "sendVoice"),
            "sendVideo": partial(self.send_media, "sendVideo"),
            "sendMediaGroup": self.send_media_group,
            "sendLocation": self.send_location,
            "forwardMessage": self.forward_message,
            "copyMessage": self.copy_message,
            "editMessageText": self.edit_message_text,
            "editMessageCaption": self.edit_message_caption,
            "editMessageReplyMarkup": self.edit_message_reply_markup,
            "deleteMessage": self.delete_message,
            "answerCallbackQuery": self.answer_callback_query,
            "sendChatAction": self.send_chat_action,
            "getFile": self.get_file,
            "setMyCommands": self.set_my_commands,
            "getMyCommands": self.get_my_commands,
            "deleteMyCommands": self.delete_my_commands,
            "setChatMenuButton": self.set_chat_menu_button,
            "getChatMenuButton": self.get_chat_menu_button,
            "getChat": self.get_chat,
            "getChatMember": self.get_chat_member,
        }
        for field in PROFILE_FIELDS:
            suffix = "".join(part.title() for part in field.split("_"))
            self.handlers[f"setMy{suffix}"] = partial(self.set_profile, field)
            self.handlers[f"getMy{suffix}"] = partial(self.get_profile, field)

    async def call(
        self, bot: BotState, method: str, params: dict[str, Any], uploads: dict[str, Upload]
    ) -> Any:
        handler = self.handlers.get(method)
        if handler is None:
            raise BadRequest(f"method {method} is not supported by the emulator")
        for item in params.get("media", ()) if method == "sendMediaGroup" else ():
            # Album items name their uploads as attach://<part>; the spec types them String.
            reference = item["media"]
            if reference.startswith("attach://"):
                upload = uploads.get(reference[len("attach://") :])
                if upload is None:
                    raise BadRequest("wrong file identifier/HTTP URL specified")
                item["media"] = upload
        return await handler(bot, params)

    # Helpers ----------------------------------------------------------------------------
    def _chat(self, bot: BotState, chat_id: Any) -> ChatLog:
        if isinstance(chat_id, str):
            if chat_id.lstrip("-").isdigit():
                chat_id = int(chat_id)
            else:
                name = chat_id.lstrip("@").lower()
                chat_id = next(
                    (
                        user["id"]
                        for user in self.world.users.values()
                        if user.get("username", "").lower() == name
                    ),
                    None,
                )
        log = self.world.chat(bot, chat_id) if isinstance(chat_id, int) else None
        if log is None:
            raise BadRequest("chat not found")
        return log

    def _target(self, bot: BotState, params: dict[str, Any]) -> ChatLog:
        log = self._chat(bot, params["chat_id"])
        if log.blocked:
            if log.chat["type"] == "private":
                raise Forbidden("bot was blocked by the user")
            raise Forbidden("bot was kicked from the group chat")
        return log

    def _count(self, bot: BotState, log: ChatLog) -> None:
        """Count a message against the flood limits, once it is known to be valid."""
        self.limiter.check(bot.token, log.id, log.chat["type"] != "private")

    @staticmethod
    def _formatted(
        params: dict[str, Any], key: str, entities_key: str, limit: int, required: bool
    ) -> tuple[str, list[JsonObject]]:
        text = params.get(key, "")
        if params.get(entities_key):
            plain, found = text, params[entities_key]
        else:
            plain, found = formatting.parse(text, params.get("parse_mode"))
        length = utf16_length(plain.strip())
        if required and length == 0:
            raise BadRequest("message text is empty")
        if utf16_length(plain) > limit:
            raise BadRequest(
                "message is too long" if key == "text" else "message caption is too long"
            )
        return plain, found

    @staticmethod
    def _check_markup(markup: JsonObject | None) -> None:
        if not markup or "inline_keyboard" not in markup:
            return
        rows = markup["inline_keyboard"]
        if sum(len(row) for row in rows) > MAX_BUTTONS or any(len(row) > MAX_ROW for row in rows):
            raise BadRequest("reply markup is too long")
        for row in rows:
            for button in row:
                if set(button) <= {"text", "style", "icon_custom_emoji_id"}:
                    raise BadRequest(
                        "can't parse inline keyboard button: "
                        "Text buttons are unallowed in the inline keyboard"
                    )

    def _post(
        self,
        bot: BotState,
        log: ChatLog,
        params: dict[str, Any],
        content: JsonObject,
        counted: bool = False,
    ) -> JsonObject:
        """Put a bot's message in the chat and tell the people's side about it."""
        markup = params.get("reply_markup")
        self._check_markup(markup)
        message: JsonObject = {
            "message_id": 0,
            "from": bot.user,
            "chat": log.chat,
            "date": int(time.time()),
        }
        reply = params.get("reply_parameters") or {}
        reply_to = reply.get("message_id")
        if reply_to is not None:
            original = log.message(reply_to)
            if original is None:
                if not reply.get("allow_sending_without_reply"):
                    raise BadRequest("message to be replied not found")
            else:
                message["reply_to_message"] = {
                    k: v for k, v in original.message.items() if k != "reply_to_message"
                }
        if not counted:
            self._count(bot, log)
        message.update(content)
        if markup and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        message["message_id"] = log.next_message_id()
        self.world.store_bot_message(log, message, markup)
        return message

    # Identity and updates -----------------------------------------------------------------
    async def get_me(self, bot: BotState, params: dict[str, Any]) -> JsonObject:
        return bot.user

    async def log_out(self, bot: BotState, params: dict[str, Any]) -> bool:
        return True

    async def get_updates(self, bot: BotState, params: dict[str, Any]) -> list[JsonObject]:
        if bot.webhook is not None:
            raise Conflict(
                "can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first"
            )
        bot.poll_generation += 1
        generation = bot.poll_generation
        bot.signal.notify()  # an older long poll gives way to this one
        offset = params.get("offset", 0)
        pending = len(bot.updates)
        if offset > 0:
            bot.updates = [u for u in bot.updates if u["update_id"] >= offset]
        elif offset < 0:
            bot.updates = bot.updates[offset:]
        if "allowed_updates" in params:
            bot.allowed_updates = set(params["allowed_updates"]) or set(DEFAULT_UPDATES)
            self.world.changed()
        limit = min(max(params.get("limit", 100), 1), 100)
        deadline = time.monotonic() + max(params.get("timeout", 0), 0)
        while True:
            bot.updates = [u for u in bot.updates if self.allowed(bot, u)]
            if len(bot.updates) != pending:  # confirmed or not wanted: gone for good
                pending = len(bot.updates)
                self.world.changed()
            remaining = deadline - time.monotonic()
            if bot.updates or remaining <= 0:
                return bot.updates[:limit]
            await bot.signal.wait(remaining)
            if bot.poll_generation != generation:
                raise Conflict(
                    "terminated by other getUpdates request; "
                    "make sure that only one bot instance is running"
                )
            # setWebhook may have come while this poll waited (mypy keeps the check above).
            if bot.webhook is not None:
                return []  # type: ignore[unreachable]

    @staticmethod
    def allowed(bot: BotState, update: JsonObject) -> bool:
        return any(kind in bot.allowed_updates for kind in update if kind != "update_id")

    async def set_webhook(self, bot: BotState, params: dict[str, Any]) -> bool:
        url = params.get("url", "")
        secret = params.get("secret_token")
        if secret is not None and not SECRET_TOKEN.fullmatch(secret):
            raise BadRequest("secret token contains unallowed characters")
        if params.get("drop_pending_updates"):
            bot.updates.clear()
        if not url:
            bot.webhook = None
        else:
            if not url.startswith(("https://", "http://")):
                raise BadRequest("bad webhook: An HTTPS URL must be provided for webhook")
            bot.webhook = Webhook(
                url=url,
                secret_token=secret,
                max_connections=params.get("max_connections", 40),
                allowed_updates=params.get("allowed_updates"),
            )
            if "allowed_updates" in params:
                bot.allowed_updates = set(params["allowed_updates"]) or set(DEFAULT_UPDATES)
        bot.signal.notify()
        self.on_webhook_change(bot)
        self.world.changed()
        return True

    async def delete_webhook(self, bot: BotState, params: dict[str, Any]) -> bool:
        return await self.set_webhook(
            bot, {"url": "", "drop_pending_updates": params.get("drop_pending_updates", False)}
        )

    async def get_webhook_info(self, bot: BotState, params: dict[str, Any]) -> JsonObject:
        hook = bot.webhook
        info: JsonObject = {
            "url": hook.url if hook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(bot.updates),
        }
        if hook:
            info["max_connections"] = hook.max_connections
            if hook.allowed_updates is not None:
                info["allowed_updates"] = hook.allowed_updates
            if hook.last_error_date:
                info["last_error_date"] = hook.last_error_date
                info["last_error_message"] = hook.last_error_message
        return info

    # Sending ------------------------------------------------------------------------------
    async def send_message(self, bot: BotState, params: dict[str, Any]) -> JsonObject:
        text, found = self._formatted(params, "text", "entities", MAX_TEXT, required=True)
        log = self._target(bot, params)
        content: JsonObject = {"text": text}
        if found:
            content["entities"] = found
        return self._post(bot, log, params, content)

    async def send_location(self, bot: BotState, params: dict[str, Any]) -> JsonObject:
        log = self._target(bot, params)
        location = {"latitude": params["latitude"], "longitude": params["longitude"]}
        return self._post(bot, log, params, {"location": location})

    def _original(self, bot: BotState, params: dict[str, Any]) -> JsonObject:
        source = self._chat(bot, params["from_chat_id"]).message(params["message_id"])
        if source is None:
            raise BadRequest("message to forward not found")
        return source.message

    async def forward_message(self, bot: BotState, params: dict[str, Any]) -> JsonObject:
        original = self._original(bot, params)
        log = self._target(bot, params)
        content = {key: original[key] for key in CONTENT_FIELDS if key in original}
        content["forward_origin"] = {
            "type": "user",
            "date": original["date"],
            "sender_user": original["from"],
        }
        return self._post(bot, log, {}, content)

    async def copy_message(self, bot: BotState, params: dict[str, Any]) -> JsonObject:
        original = self._original(bot, params)
        if "text" in original and "caption" in params:
            raise BadRequest("message text can't be replaced by a caption")
        log = self._target(bot, params)
        content = {key: original[key] for key in CONTENT_FIELDS if key in original}
        if "caption" in params:
            content.pop("caption_entities", None)
            content.update(self._caption(params))
        message = self._post(bot, log, params, content)
        return {"message_id": message["message_id"]}

    def _caption(self, params: dict[str, Any]) -> JsonObject:
        caption, found = self._formatted(
            params, "caption", "caption_entities", MAX_CAPTION, required=False
        )
        content: JsonObject = {}
        if caption:
            content["caption"] = caption
        if found:
            content["caption_entities"] = found
        return content

    def _file(self, value: Upload | str, folder: str) -> StoredFile:
        """A file the bot sends: a new upload, or one Telegram already has (by file_id)."""
        if isinstance(value, Upload):
            width = height = 0
            if folder == "photos":
                size = image_size(value.data)
                if size is None:
                    raise BadRequest("IMAGE_PROCESS_FAILED")
                width, height = size
            return self.world.store_file(
                value.data,
                value.filename,
                value.content_type or "application/octet-stream",
                folder,
                width,
                height,
            )
        if value.startswith(("http://", "https://")):
            raise BadRequest("failed to get HTTP URL content")
        stored = self.world.files.get(value)
        if stored is None:
            raise BadRequest("wrong file identifier/HTTP URL specified")
        if stored.folder != folder:
            raise BadRequest(
                f"can't use file of type {FILE_TYPES[stored.folder]} as {FILE_TYPES[folder]}"
            )
        return stored

    async def send_media(self, method: str, bot: BotState, params: dict[str, Any]) -> JsonObject:
        parameter, folder, field = MEDIA[method]
        content = self._caption(params)
        log = self._target(bot, params)
        stored = self._file(params[parameter], folder)
        content[field] = media_object(stored, field, params)
        return self._post(bot, log, params, content)

    async def send_media_group(self, bot: BotState, params: dict[str, Any]) -> list[JsonObject]:
        media = params["media"]
        if not 2 <= len(media) <= 10:
            raise BadRequest("wrong number of media: an album must include 2-10 items")
        log = self._target(bot, params)
        folders = {"photo": "photos", "video": "videos", "document": "documents"}
        prepared = []
        for item in media:
            folder = folders.get(item["type"])
            if folder is None:
                raise BadRequest(f"media of type {item['type']} is not supported by the emulator")
            stored = self._file(item["media"], folder)
            content = self._caption(item)
            content[item["type"]] = media_object(stored, item["type"], item)
            prepared.append(content)
        group_id = str(time.time_ns())
        self._count(bot, log)  # one album, one count: it is sent whole or not at all
        return [
            self._post(bot, log, params, {**content, "media_group_id": group_id}, counted=True)
            for content in prepared
        ]

    # Editing ------------------------------------------------------------------------------
    def _editable(self, bot: BotState, params: dict[str, Any]) -> tuple[ChatLog, JsonObject]:
        if "inline_message_id" in params:
            raise BadRequest("MESSAGE_ID_INVALID")
        if "chat_id" not in params or "message_id" not in params:
            raise BadRequest("message identifier is not specified")
        log = self._chat(bot, params["chat_id"])
        stored = log.message(params["message_id"])
        if stored is None:
            raise BadRequest("message to edit not found")
        if not stored.from_bot:
            raise BadRequest("message can't be edited")
        return log, stored.message

    def _apply_edit(
        self, log: ChatLog, message: JsonObject, params: dict[str, Any], changes: JsonObject
    ) -> JsonObject:
        markup = params.get("reply_markup")
        self._check_markup(markup)
        new_markup = markup if markup and "inline_keyboard" in markup else None
        unchanged = all(
            (message.get(key) or None) == (value or None) for key, value in changes.items()
        )
        if unchanged and message.get("reply_markup") == new_markup:
            raise BadRequest(NOT_MODIFIED)
        message.update(changes)
        for key, value in changes.items():
            if not value:
                message.pop(key, None)
        if new_markup:
            message["reply_markup"] = new_markup
        else:
            message.pop("reply_markup", None)
        message["edit_date"] = int(time.time())
        log.record("edit", from_bot=True, message=dict(message), reply_markup=new_markup)
        return message

    async def edit_message_text(self, bot: BotState, params: dict[str, Any]) -> JsonObject:
        log, message = self._editable(bot, params)
        text, found = self._formatted(params, "text", "entities", MAX_TEXT, required=True)
        if "text" not in message:
            raise BadRequest("there is no text in the message to edit")
        return self._apply_edit(log, message, params, {"text": text, "entities": found})

    async def edit_message_caption(self, bot: BotState, params: dict[str, Any]) -> JsonObject:
        log, message = self._editable(bot, params)
        content = self._caption(params)
        if "text" in message:
            raise BadRequest("there is no caption in the message to edit")
        changes = {
            "caption": content.get("caption"),
            "caption_entities": content.get("caption_entities"),
        }
        return self._apply_edit(log, message, params, changes)

    async def edit_message_reply_markup(self, bot: BotState, params: dict[str, Any]) -> JsonObject:
        log, message = self._editable(bot, params)
        return self._apply_edit(log, message, params, {})

    async def delete_message(self, bot: BotState, params: dict[str, Any]) -> bool:
        log = self._chat(bot, params["chat_id"])
        stored = log.message(params["message_id"])
        if stored is None:
            raise BadRequest("message to delete not found")
        stored.deleted = True
        log.record("delete", from_bot=True, message_id=params["message_id"])
        return True

    async def answer_callback_query(self, bot: BotState, params: dict[str, Any]) -> bool:
        query = self.world.callbacks.get(params["callback_query_id"])
        if query is None or query.answer is not None:
            raise BadRequest("query is too old and response timeout expired or query ID is invalid")
        answer: JsonObject = {
            key: params[key] for key in ("text", "show_alert", "url", "cache_time") if key in params
        }
        query.answer = answer
        self.world.changed()
        log = self.world.chat(bot, query.chat_id)
        if log is not None:
            log.record(
                "callback_answer",
                from_bot=True,
                callback_query_id=query.id,
                message_id=query.message_id,
                data=query.data,
                answer=answer,
            )
        return True

    async def send_chat_action(self, bot: BotState, params: dict[str, Any]) -> bool:
        if params["action"] not in CHAT_ACTIONS:
            raise BadRequest("wrong parameter action in request")
        log = self._target(bot, params)
        log.record("chat_action", from_bot=True, action=params["action"])
        return True

    # Files ---------------------------------------------------------------------------------
    async def get_file(self, bot: BotState, params: dict[str, Any]) -> JsonObject:
        stored = self.world.files.get(params["file_id"])
        if stored is None:
            raise BadRequest("invalid file_id")
        if stored.size > self.download_limit:
            raise BadRequest("file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.size,
            "file_path": stored.file_path,
        }

    # Commands and menu -----------------------------------------------------------------------
    @staticmethod
    def _commands_key(params: dict[str, Any]) -> tuple[str, str]:
        return commands_key(params.get("scope"), params.get("language_code", ""))

    async def set_my_commands(self, bot: BotState, params: dict[str, Any]) -> bool:
        commands = params["commands"]
        if len(commands) > 100:
            raise BadRequest("too many commands")
        for command in commands:
            if not COMMAND_NAME.fullmatch(command["command"]):
                raise BadRequest("BOT_COMMAND_INVALID")
            if not 1 <= len(command["description"]) <= 256:
                raise BadRequest("command description must be 1-256 characters")
        bot.commands[self._commands_key(params)] = commands
        self.world.changed()
        return True

    async def get_my_commands(self, bot: BotState, params: dict[str, Any]) -> list[JsonObject]:
        return bot.commands.get(self._commands_key(params), [])

    async def delete_my_commands(self, bot: BotState, params: dict[str, Any]) -> bool:
        bot.commands.pop(self._commands_key(params), None)
        self.world.changed()
        return True

    async def set_chat_menu_button(self, bot: BotState, params: dict[str, Any]) -> bool:
        chat_id = params.get("chat_id")
        if chat_id is not None:
            self._chat(bot, chat_id)
        bot.menu_buttons[chat_id] = params.get("menu_button") or {"type": "default"}
        self.world.changed()
        return True

    async def get_chat_menu_button(self, bot: BotState, params: dict[str, Any]) -> JsonObject:
        chat_id = params.get("chat_id")
        button = bot.menu_buttons.get(chat_id) or bot.menu_buttons.get(None)
        return button or {"type": "commands"}

    async def set_profile(self, field: str, bot: BotState, params: dict[str, Any]) -> bool:
        key = (field, params.get("language_code", ""))
        if params.get(field):
            bot.profile[key] = params[field]
        else:
            bot.profile.pop(key, None)
        self.world.changed()
        return True

    async def get_profile(self, field: str, bot: BotState, params: dict[str, Any]) -> JsonObject:
        value = bot.profile.get((field, params.get("language_code", "")))
        if value is None:
            value = bot.profile.get((field, ""), bot.user["first_name"] if field == "name" else "")
        return {field: value}

    # Chats -------------------------------------------------------------------------------------
    async def get_chat(self, bot: BotState, params: dict[str, Any]) -> JsonObject:
        log = self._chat(bot, params["chat_id"])
        gifts = ("unlimited_gifts", "limited_gifts", "unique_gifts", "premium_subscription")
        return {
            **log.chat,
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {**dict.fromkeys(gifts, True), "gifts_from_channels": False},
        }

    async def get_chat_member(self, bot: BotState, params: dict[str, Any]) -> JsonObject:
        log = self._chat(bot, params["chat_id"])
        user_id = params["user_id"]
        if user_id == bot.id:
            return {"status": "member", "user": bot.user}
        user = self.world.users.get(user_id)
        if user is None:
            raise BadRequest("user not found")
        private = log.chat["type"] == "private"
        inside = log.id == user_id if private else user_id in self.world.members.get(log.id, ())
        return {"status": "member" if inside else "left", "user": user}
