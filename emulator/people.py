"""What simulated people do in a chat, turned into the updates a bot receives.

Used by the control API (and through it by the Python client and the web chat). Errors are
:class:`PersonError`, answered by the control API with status 400 and the reason.
"""

from __future__ import annotations

import time
from typing import Any

from emulator import entities
from emulator.bot_api import image_size, media_object
from emulator.world import BotState, ChatLog, JsonObject, StoredMessage, World

UPLOAD_KINDS = {
    # kind: (folder of stored files, Message field)
    "photo": ("photos", "photo"),
    "document": ("documents", "document"),
    "voice": ("voice", "voice"),
    "video": ("videos", "video"),
}


class PersonError(Exception):
    """Something a person cannot do (unknown chat, no such button)."""


class People:
    def __init__(self, world: World) -> None:
        self.world = world

    def _chat(self, bot: BotState, user_id: int, chat_id: int | None) -> tuple[JsonObject, ChatLog]:
        user = self.world.users.get(user_id)
        if user is None:
            raise PersonError(f"unknown user {user_id}")
        chat_id = user_id if chat_id is None else chat_id
        if chat_id != user_id and user_id not in self.world.members.get(chat_id, ()):
            raise PersonError(f"user {user_id} is not a member of chat {chat_id}")
        log = self.world.chat(bot, chat_id)
        if log is None:
            raise PersonError(f"unknown chat {chat_id}")
        return user, log

    def _message(
        self,
        bot: BotState,
        log: ChatLog,
        user: JsonObject,
        reply_to: int | None,
        content: JsonObject,
    ) -> JsonObject:
        if log.blocked and log.chat["type"] == "private":
            # As in Telegram, writing to a blocked bot unblocks it first ("Restart").
            self.set_blocked(bot, log.id, False)
        message: JsonObject = {
            "message_id": log.next_message_id(),
            "from": user,
            "chat": log.chat,
            "date": int(time.time()),
        }
        if reply_to is not None:
            original = log.message(reply_to)
            if original is None:
                raise PersonError(f"no message {reply_to} to reply to")
            message["reply_to_message"] = {
                k: v for k, v in original.message.items() if k != "reply_to_message"
            }
        message.update(content)
        log.messages[message["message_id"]] = StoredMessage(message, from_bot=False)
        log.record("message", from_bot=False, message=dict(message), reply_markup=None)
        if log.reply_keyboard and log.reply_keyboard.get("one_time_keyboard"):
            log.reply_keyboard = None
        self.world.push_update(bot, "message", message)
        return message

    def send(
        self,
        bot: BotState,
        user_id: int,
        chat_id: int | None = None,
        reply_to: int | None = None,
        text: str | None = None,
        location: JsonObject | None = None,
        contact: JsonObject | None = None,
        sticker: JsonObject | None = None,
    ) -> JsonObject:
        """A text (commands get their ``bot_command`` entity), a location, contact or sticker."""
        user, log = self._chat(bot, user_id, chat_id)
        content: JsonObject
        if text is not None:
            if not text.strip():
                raise PersonError("empty text")
            content = {"text": text}
            if found := entities.commands(text):
                content["entities"] = found
        elif location is not None:
            content = {
                "location": {
                    "latitude": float(location["latitude"]),
                    "longitude": float(location["longitude"]),
                }
            }
        elif contact is not None:
            content = {
                "contact": {
                    "phone_number": str(contact.get("phone_number", "+5215555555555")),
                    "first_name": str(contact.get("first_name", user["first_name"])),
                    "user_id": contact.get("user_id", user["id"]),
                }
            }
        elif sticker is not None:
            content = {"sticker": self._sticker(sticker.get("emoji", "🙂"))}
        else:
            raise PersonError("nothing to send: give text, location, contact or sticker")
        return self._message(bot, log, user, reply_to, content)

    def _sticker(self, emoji: str) -> JsonObject:
        stored = self.world.store_file(emoji.encode(), "sticker.webp", "image/webp", "stickers")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
            "file_size": stored.size,
        }

    def upload(
        self,
        bot: BotState,
        user_id: int,
        kind: str,
        data: bytes,
        file_name: str,
        mime_type: str,
        chat_id: int | None = None,
        caption: str | None = None,
        reply_to: int | None = None,
    ) -> JsonObject:
        """A photo, document, voice note or video, kept so the bot downloads the same bytes."""
        if kind not in UPLOAD_KINDS:
            raise PersonError(f"unknown kind {kind!r}: use photo, document, voice or video")
        user, log = self._chat(bot, user_id, chat_id)
        folder, field = UPLOAD_KINDS[kind]
        width = height = 0
        if kind == "photo":
            size = image_size(data)
            if size is None:
                raise PersonError("the photo is not an image")
            width, height = size
        stored = self.world.store_file(data, file_name, mime_type, folder, width, height)
        content: JsonObject = {field: media_object(stored, field)}
        if caption:
            content["caption"] = caption
        return self._message(bot, log, user, reply_to, content)

    def press(
        self, bot: BotState, user_id: int, message_id: int, button: str, chat_id: int | None = None
    ) -> JsonObject:
        """Press the inline button whose text or callback data is ``button``."""
        user, log = self._chat(bot, user_id, chat_id)
        stored = log.message(message_id)
        if stored is None or not stored.from_bot:
            raise PersonError(f"no bot message {message_id} in chat {log.id}")
        rows = stored.message.get("reply_markup", {}).get("inline_keyboard", [])
        choice = next(
            (
                b
                for row in rows
                for b in row
                if "callback_data" in b and button in (b["text"], b["callback_data"])
            ),
            None,
        )
        if choice is None:
            raise PersonError(f"message {message_id} has no button {button!r}")
        query = self.world.new_callback(log.id, message_id, choice["callback_data"])
        payload: JsonObject = {
            "id": query.id,
            "from": user,
            "message": stored.message,
            "chat_instance": str(abs(hash((bot.id, log.id)))),
            "data": choice["callback_data"],
        }
        log.record(
            "callback_query",
            from_bot=False,
            callback_query_id=query.id,
            message_id=message_id,
            data=query.data,
        )
        self.world.push_update(bot, "callback_query", payload)
        return payload

    def edit(
        self, bot: BotState, user_id: int, message_id: int, text: str, chat_id: int | None = None
    ) -> JsonObject:
        """A person edits a text message they sent: the bot gets ``edited_message``."""
        _, log = self._chat(bot, user_id, chat_id)
        stored = log.message(message_id)
        if stored is None or stored.from_bot or stored.message["from"]["id"] != user_id:
            raise PersonError(f"user {user_id} sent no message {message_id} here")
        if "text" not in stored.message:
            raise PersonError("only text messages can be edited")
        message = stored.message
        message["text"] = text
        message.pop("entities", None)
        if found := entities.commands(text):
            message["entities"] = found
        message["edit_date"] = int(time.time())
        log.record("edit", from_bot=False, message=dict(message), reply_markup=None)
        self.world.push_update(bot, "edited_message", dict(message))
        return message

    def set_blocked(self, bot: BotState, chat_id: int, blocked: bool) -> bool:
        """The person blocks (or unblocks) the bot; the bot hears of it by my_chat_member."""
        log = self.world.chat(bot, chat_id)
        if log is None:
            raise PersonError(f"unknown chat {chat_id}")
        if log.blocked == blocked:
            return blocked
        log.blocked = blocked
        self.world.changed()
        if log.chat["type"] == "private":
            member = {"status": "member", "user": bot.user}
            kicked = {"status": "kicked", "user": bot.user, "until_date": 0}
            old, new = (member, kicked) if blocked else (kicked, member)
            update = {
                "chat": log.chat,
                "from": self.world.users[chat_id],
                "date": int(time.time()),
                "old_chat_member": old,
                "new_chat_member": new,
            }
            self.world.push_update(bot, "my_chat_member", update)
        return blocked

    def snapshot(self, bot: BotState, chat_id: int) -> dict[str, Any]:
        """The chat as a person sees it now: live messages and the reply keyboard."""
        log = self.world.chat(bot, chat_id)
        if log is None:
            raise PersonError(f"unknown chat {chat_id}")
        return {
            "chat": log.chat,
            "messages": [
                {"from_bot": s.from_bot, "message": s.message, "reply_markup": s.reply_markup}
                for s in log.messages.values()
                if not s.deleted
            ],
            "reply_keyboard": log.reply_keyboard,
            "blocked": log.blocked,
        }
