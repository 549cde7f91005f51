"""Everything the emulated Telegram knows: bots, people, chats, messages, files, updates.

Kept in memory for the life of one emulator. Each bot sees its own history of each chat (as
in Telegram, where message ids count per chat); people and groups are shared by all bots.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

JsonObject = dict[str, Any]
FIRST_USER_ID = 100_000_001
FIRST_GROUP_ID = -1_000_001
# Update kinds delivered when a bot names none (Telegram leaves out member and reaction ones).
DEFAULT_UPDATES = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "callback_query",
        "inline_query",
        "chosen_inline_result",
        "my_chat_member",
        "shipping_query",
        "pre_checkout_query",
        "poll",
        "poll_answer",
        "chat_join_request",
        "business_connection",
        "business_message",
    }
)


class Signal:
    """Wakes every waiter when something new happens (new update, new chat event)."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, seconds: float) -> bool:
        try:
            await asyncio.wait_for(self._event.wait(), seconds)
        except TimeoutError:
            return False
        return True


@dataclass(slots=True)
class StoredFile:
    file_id: str
    file_unique_id: str
    file_path: str
    folder: str
    data: bytes
    file_name: str
    mime_type: str
    width: int = 0
    height: int = 0

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass(slots=True)
class StoredMessage:
    message: JsonObject
    from_bot: bool
    reply_markup: JsonObject | None = None
    deleted: bool = False


@dataclass(slots=True)
class CallbackQuery:
    id: str
    chat_id: int
    message_id: int
    data: str
    answer: JsonObject | None = None


@dataclass
class ChatLog:
    """One chat as one bot sees it: its messages and what the bot did there, in order."""

    chat: JsonObject
    messages: dict[int, StoredMessage] = field(default_factory=dict)
    events: list[JsonObject] = field(default_factory=list)
    reply_keyboard: JsonObject | None = None
    blocked: bool = False
    message_ids: Iterable[int] = field(default_factory=lambda: itertools.count(1))
    signal: Signal = field(default_factory=Signal)

    @property
    def id(self) -> int:
        return self.chat["id"]

    def next_message_id(self) -> int:
        return next(self.message_ids)  # type: ignore[call-overload]

    def record(self, kind: str, **details: Any) -> JsonObject:
        event = {"seq": len(self.events) + 1, "kind": kind, "date": int(time.time()), **details}
        self.events.append(event)
        self.signal.notify()
        return event

    def message(self, message_id: int) -> StoredMessage | None:
        stored = self.messages.get(message_id)
        return None if stored is None or stored.deleted else stored


@dataclass
class Webhook:
    url: str
    secret_token: str | None = None
    max_connections: int = 40
    allowed_updates: list[str] | None = None
    last_error_date: int | None = None
    last_error_message: str | None = None


@dataclass
class BotState:
    token: str
    user: JsonObject
    updates: list[JsonObject] = field(default_factory=list)
    update_ids: Iterable[int] = field(default_factory=lambda: itertools.count(1))
    signal: Signal = field(default_factory=Signal)
    chats: dict[int, ChatLog] = field(default_factory=dict)
    commands: dict[tuple[str, str], list[JsonObject]] = field(default_factory=dict)
    menu_buttons: dict[int | None, JsonObject] = field(default_factory=dict)
    # Name, description and short description, per language ("" for the default).
    profile: dict[tuple[str, str], str] = field(default_factory=dict)
    webhook: Webhook | None = None
    allowed_updates: set[str] = field(default_factory=lambda: set(DEFAULT_UPDATES))
    poll_generation: int = 0

    @property
    def id(self) -> int:
        return self.user["id"]


def bot_id_of(token: str) -> int:
    prefix = token.split(":", 1)[0]
    if prefix.isdigit():
        return int(prefix)
    return int(hashlib.sha256(token.encode()).hexdigest()[:8], 16)


class World:
    def __init__(self, tokens: Iterable[str]) -> None:
        self.bots: dict[str, BotState] = {}
        self.users: dict[int, JsonObject] = {}
        self.groups: dict[int, JsonObject] = {}
        self.members: dict[int, set[int]] = {}
        self.files: dict[str, StoredFile] = {}
        self.files_by_path: dict[str, StoredFile] = {}
        self.callbacks: dict[str, CallbackQuery] = {}
        self.redeliver = False
        self._user_ids = itertools.count(FIRST_USER_ID)
        self._group_ids = itertools.count(FIRST_GROUP_ID, -1)
        for token in tokens:
            self.add_bot(token)

    def add_bot(self, token: str, username: str | None = None) -> BotState:
        bot_id = bot_id_of(token)
        name = username or f"emulated_{bot_id}_bot"
        user = {
            "id": bot_id,
            "is_bot": True,
            "first_name": "Incorruptible",
            "username": name,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
        self.bots[token] = BotState(token=token, user=user)
        return self.bots[token]

    @property
    def default_bot(self) -> BotState:
        return next(iter(self.bots.values()))

    # People and chats -------------------------------------------------------------------
    def create_user(
        self,
        first_name: str,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "es",
        user_id: int | None = None,
    ) -> JsonObject:
        if user_id is None:
            user_id = next(self._user_ids)
            while user_id in self.users:
                user_id = next(self._user_ids)
        user: JsonObject = {"id": user_id, "is_bot": False, "first_name": first_name}
        if last_name:
            user["last_name"] = last_name
        if username:
            user["username"] = username
        if language_code:
            user["language_code"] = language_code
        self.users[user_id] = user
        return user

    def create_group(self, title: str, member_ids: Iterable[int]) -> JsonObject:
        group_id = next(self._group_ids)
        self.groups[group_id] = {"id": group_id, "title": title, "type": "group"}
        self.members[group_id] = set(member_ids)
        return self.groups[group_id]

    def chat_object(self, chat_id: int) -> JsonObject | None:
        if chat_id in self.users:
            user = self.users[chat_id]
            chat = {"id": chat_id, "type": "private", "first_name": user["first_name"]}
            for key in ("last_name", "username"):
                if key in user:
                    chat[key] = user[key]
            return chat
        return self.groups.get(chat_id)

    def chat(self, bot: BotState, chat_id: int) -> ChatLog | None:
        log = bot.chats.get(chat_id)
        if log is None:
            chat = self.chat_object(chat_id)
            if chat is None:
                return None
            log = bot.chats[chat_id] = ChatLog(chat=chat)
        return log

    # Updates -----------------------------------------------------------------------------
    def push_update(self, bot: BotState, kind: str, payload: JsonObject) -> JsonObject:
        update = {"update_id": next(bot.update_ids), kind: payload}  # type: ignore[call-overload]
        bot.updates.append(update)
        if self.redeliver:
            bot.updates.append(dict(update))  # a second delivery of the same update
        bot.signal.notify()
        return update

    # Files -------------------------------------------------------------------------------
    def store_file(
        self,
        data: bytes,
        file_name: str,
        mime_type: str,
        folder: str,
        width: int = 0,
        height: int = 0,
    ) -> StoredFile:
        unique = hashlib.sha256(data).hexdigest()[:16]
        file_id = f"{folder[:2].upper()}{secrets.token_urlsafe(24)}"
        extension = file_name.rsplit(".", 1)[-1] if "." in file_name else "bin"
        path = f"{folder}/file_{len(self.files)}.{extension}"
        stored = StoredFile(
            file_id, unique, path, folder, data, file_name, mime_type, width, height
        )
        self.files[file_id] = stored
        self.files_by_path[path] = stored
        return stored

    def store_bot_message(
        self, log: ChatLog, message: JsonObject, markup: JsonObject | None
    ) -> None:
        self._remember_keyboard(log, markup)
        log.messages[message["message_id"]] = StoredMessage(message, True, markup)
        log.record("message", from_bot=True, message=dict(message), reply_markup=markup)

    @staticmethod
    def _remember_keyboard(log: ChatLog, markup: JsonObject | None) -> None:
        """The reply keyboard a person sees under the chat until the bot removes it."""
        if not markup:
            return
        if "keyboard" in markup:
            log.reply_keyboard = markup
        elif markup.get("remove_keyboard"):
            log.reply_keyboard = None

    def new_callback(self, chat_id: int, message_id: int, data: str) -> CallbackQuery:
        query = CallbackQuery(str(secrets.randbits(63)), chat_id, message_id, data)
        self.callbacks[query.id] = query
        return query
