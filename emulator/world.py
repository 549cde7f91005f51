"""Everything the emulated Telegram knows: bots, people, chats, messages, files, updates.

Kept in memory; :mod:`emulator.state` saves it to a folder and reads it back when the emulator
is given one. Each bot sees its own history of each chat (as in Telegram, where message ids
count per chat); people and groups are shared by all bots. Every id is counted up and, before
it is handed out, covered by the world's :class:`Reserve` (in memory, without limit).
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

JsonObject = dict[str, Any]
FIRST_USER_ID = 100_000_001
FIRST_GROUP_ID = -1_000_001
# Kinds of ids that are never handed out twice; groups count down from FIRST_GROUP_ID.
ID_KINDS = ("update", "message", "user", "group", "file")
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


class Reserve:
    """How far each kind of id may be counted; a world kept only in memory has no limit."""

    def cover(self, kind: str, value: int) -> None:
        """Make sure ``value`` may be handed out as an id of ``kind``."""


def unchanged() -> None:
    """What a world kept only in memory does when it changes: nothing."""


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
    number: int
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
    reserve: Reserve
    changed: Callable[[], None]
    messages: dict[int, StoredMessage] = field(default_factory=dict)
    events: list[JsonObject] = field(default_factory=list)
    reply_keyboard: JsonObject | None = None
    blocked: bool = False
    last_message_id: int = 0
    signal: Signal = field(default_factory=Signal)

    @property
    def id(self) -> int:
        chat_id: int = self.chat["id"]
        return chat_id

    def next_message_id(self) -> int:
        message_id = self.last_message_id + 1
        self.reserve.cover("message", message_id)
        self.last_message_id = message_id
        return message_id

    def record(self, kind: str, **details: Any) -> JsonObject:
        event = {"seq": len(self.events) + 1, "kind": kind, "date": int(time.time()), **details}
        self.events.append(event)
        self.signal.notify()
        self.changed()
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
    last_update_id: int = 0
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
        user_id: int = self.user["id"]
        return user_id


def bot_id_of(token: str) -> int:
    prefix = token.split(":", 1)[0]
    if prefix.isdigit():
        return int(prefix)
    return int(hashlib.sha256(token.encode()).hexdigest()[:8], 16)


class World:
    def __init__(
        self,
        tokens: Iterable[str],
        reserve: Reserve | None = None,
        changed: Callable[[], None] = unchanged,
    ) -> None:
        self.bots: dict[str, BotState] = {}
        self.users: dict[int, JsonObject] = {}
        self.groups: dict[int, JsonObject] = {}
        self.members: dict[int, set[int]] = {}
        self.files: dict[str, StoredFile] = {}
        self.files_by_path: dict[str, StoredFile] = {}
        self.callbacks: dict[str, CallbackQuery] = {}
        self.redeliver = False
        self.reserve = reserve or Reserve()
        # Called on every change worth keeping; a saved world writes itself a moment later.
        self.changed = changed
        # The last id of each kind counted for the whole world (groups as positive numbers).
        self.last_ids = {"user": FIRST_USER_ID - 1, "group": -FIRST_GROUP_ID - 1, "file": -1}
        # Where the message ids of a chat opened from now on start (after a crash, above all
        # those that may have been handed out in chats the saved world does not hold).
        self.first_message_id = 1
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
        self.changed()
        return self.bots[token]

    def take_id(self, kind: str) -> int:
        """The next id of a kind counted for the whole world (user, group, file)."""
        value = self.last_ids[kind] + 1
        self.reserve.cover(kind, value)
        self.last_ids[kind] = value
        return value

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
            user_id = self.take_id("user")
            while user_id in self.users:
                user_id = self.take_id("user")
        user: JsonObject = {"id": user_id, "is_bot": False, "first_name": first_name}
        if last_name:
            user["last_name"] = last_name
        if username:
            user["username"] = username
        if language_code:
            user["language_code"] = language_code
        self.users[user_id] = user
        self.changed()
        return user

    def create_group(self, title: str, member_ids: Iterable[int]) -> JsonObject:
        group_id = -self.take_id("group")
        self.groups[group_id] = {"id": group_id, "title": title, "type": "group"}
        self.members[group_id] = set(member_ids)
        self.changed()
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
            log = self.chat_log(chat, last_message_id=self.first_message_id - 1)
            bot.chats[chat_id] = log
        return log

    def chat_log(self, chat: JsonObject, **contents: Any) -> ChatLog:
        """A chat log counting its message ids under this world's reserve."""
        return ChatLog(chat=chat, reserve=self.reserve, changed=self.changed, **contents)

    # Updates -----------------------------------------------------------------------------
    def push_update(self, bot: BotState, kind: str, payload: JsonObject) -> JsonObject:
        update_id = bot.last_update_id + 1
        self.reserve.cover("update", update_id)
        bot.last_update_id = update_id
        update = {"update_id": update_id, kind: payload}
        bot.updates.append(update)
        if self.redeliver:
            bot.updates.append(dict(update))  # a second delivery of the same update
        bot.signal.notify()
        self.changed()
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
        number = self.take_id("file")
        path = f"{folder}/file_{number}.{extension}"
        stored = StoredFile(
            file_id, unique, path, folder, data, file_name, mime_type, number, width, height
        )
        self.add_file(stored)
        self.changed()
        return stored

    def add_file(self, stored: StoredFile) -> None:
        """Make a stored file reachable by its file_id and its file_path."""
        self.files[stored.file_id] = stored
        self.files_by_path[stored.file_path] = stored

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
        self.changed()
        return query
