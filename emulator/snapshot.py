"""The world as plain JSON data and back: what :mod:`emulator.state` writes and reads.

Everything but the bytes of stored files, which are kept beside it, one file per number. What
lasts only while the emulator runs is left out: long polls, answered callback queries, the
redelivery switch, limits and faults.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from typing import Any

from emulator.world import (
    BotState,
    CallbackQuery,
    ChatLog,
    JsonObject,
    Reserve,
    StoredFile,
    StoredMessage,
    Webhook,
    World,
)

FORMAT = 1
FILE_FIELDS = (
    "file_id",
    "file_unique_id",
    "file_path",
    "folder",
    "file_name",
    "mime_type",
    "number",
    "width",
    "height",
)


class ShapeError(ValueError):
    """Saved data that is JSON but not a saved world."""


def dump(world: World, stamp: str) -> JsonObject:
    """The world as JSON data, marked with the ``stamp`` of the run that wrote it."""
    return {
        "format": FORMAT,
        "stamp": stamp,
        "last_ids": world.last_ids,
        "first_message_id": world.first_message_id,
        "users": list(world.users.values()),
        "groups": [
            {"group": group, "members": sorted(world.members.get(group_id, ()))}
            for group_id, group in world.groups.items()
        ],
        "files": [
            {name: getattr(stored, name) for name in FILE_FIELDS} for stored in world.files.values()
        ],
        "callbacks": [
            dataclasses.asdict(query) for query in world.callbacks.values() if query.answer is None
        ],
        "bots": [_dump_bot(bot) for bot in world.bots.values()],
    }


def _dump_bot(bot: BotState) -> JsonObject:
    return {
        "token": bot.token,
        "last_update_id": bot.last_update_id,
        "updates": bot.updates,
        "allowed_updates": sorted(bot.allowed_updates),
        "webhook": dataclasses.asdict(bot.webhook) if bot.webhook else None,
        "commands": [[scope, language, items] for (scope, language), items in bot.commands.items()],
        "menu_buttons": [[chat_id, button] for chat_id, button in bot.menu_buttons.items()],
        "profile": [[field, language, value] for (field, language), value in bot.profile.items()],
        "chats": [_dump_chat(log) for log in bot.chats.values()],
    }


def _dump_chat(log: ChatLog) -> JsonObject:
    return {
        "chat": log.chat,
        "last_message_id": log.last_message_id,
        "reply_keyboard": log.reply_keyboard,
        "blocked": log.blocked,
        "events": log.events,
        "messages": [
            [stored.message, stored.from_bot, stored.reply_markup, stored.deleted]
            for stored in log.messages.values()
        ],
    }


def load(
    data: Any,
    tokens: Iterable[str],
    reserve: Reserve,
    changed: Callable[[], None],
    read: Callable[[int], bytes],
) -> tuple[World, list[str]]:
    """The world saved in ``data``, with the bots of ``tokens`` first (the first is the default);
    bots of an earlier run stay after them, their tokens still valid, as in Telegram.

    ``read`` gives the bytes of a stored file by number; the ids of files it could not read
    come back beside the world, which goes on without them. Raises :class:`ShapeError` when
    ``data`` is not a saved world.
    """
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ShapeError("not a saved world of this version")
    world = World(tokens, reserve, changed)
    try:
        missing = _restore(world, data, read)
    except (KeyError, IndexError, TypeError, ValueError, AttributeError) as error:
        raise ShapeError(f"{error.__class__.__name__}: {error}") from None
    return world, missing


def _restore(world: World, data: JsonObject, read: Callable[[int], bytes]) -> list[str]:
    world.last_ids.update({kind: int(data["last_ids"][kind]) for kind in world.last_ids})
    world.first_message_id = int(data["first_message_id"])
    for user in data["users"]:
        world.users[int(user["id"])] = user
    for entry in data["groups"]:
        group = entry["group"]
        world.groups[int(group["id"])] = group
        world.members[int(group["id"])] = {int(member) for member in entry["members"]}
    missing = []
    for entry in data["files"]:
        fields = {name: entry[name] for name in FILE_FIELDS}
        try:
            content = read(int(fields["number"]))
        except OSError:
            missing.append(fields["file_id"])
            continue
        world.add_file(StoredFile(data=content, **fields))
    for entry in data["callbacks"]:
        query = CallbackQuery(**entry)
        world.callbacks[query.id] = query
    for entry in data["bots"]:
        bot = world.bots.get(entry["token"]) or world.add_bot(entry["token"])
        _restore_bot(world, bot, entry)
    return missing


def _restore_bot(world: World, bot: BotState, data: JsonObject) -> None:
    bot.last_update_id = int(data["last_update_id"])
    bot.updates = list(data["updates"])
    bot.allowed_updates = set(data["allowed_updates"])
    bot.webhook = Webhook(**data["webhook"]) if data["webhook"] else None
    bot.commands = {(scope, language): items for scope, language, items in data["commands"]}
    bot.menu_buttons = {chat_id: button for chat_id, button in data["menu_buttons"]}
    bot.profile = {(field, language): value for field, language, value in data["profile"]}
    for entry in data["chats"]:
        messages = {
            int(message["message_id"]): StoredMessage(message, from_bot, markup, deleted)
            for message, from_bot, markup, deleted in entry["messages"]
        }
        log = world.chat_log(
            entry["chat"],
            messages=messages,
            events=list(entry["events"]),
            reply_keyboard=entry["reply_keyboard"],
            blocked=bool(entry["blocked"]),
            last_message_id=int(entry["last_message_id"]),
        )
        bot.chats[log.id] = log
