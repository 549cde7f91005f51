"""The emulator's world kept in a folder, so that it survives a restart.

    <folder>/world.json   the world (:mod:`emulator.snapshot`), written a moment after it changes
                          and at stop, in a thread, never half (temporary file, fsync, rename)
    <folder>/files/<n>    the bytes of stored file number ``n``, written before the world naming it
    <folder>/ids.json     how far each kind of id is reserved, and whether the run stopped cleanly

Telegram never hands out an id twice, and a bot relies on it: it remembers the update ids it
handled, and a person's user id is who they are. So ids are reserved a block at a time, and
none past the mark in ``ids.json`` is handed out before the mark is moved and written. A crash
loses the changes made since the last ``world.json``; at the next start every counter goes on
above its mark. After a clean stop the saved counters are exact and simply go on.

A file that cannot be read is moved aside (``world.json.corrupt-<time>``) with a warning, and the
emulator starts without it. Without ``ids.json``, the marks are unknown: ids then start from the
clock, in thousandths of a second, above those of any earlier run unless it handed out more
than a thousand ids of a kind a second on average.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import orjson

from emulator import snapshot
from emulator.world import ID_KINDS, Reserve, StoredFile, World

log = logging.getLogger(__name__)
WORLD = "world.json"
IDS = "ids.json"
FILES = "files"
BLOCK = 1000  # ids reserved at a time: one write to ids.json for each thousand of a kind


class StateError(Exception):
    """The state folder cannot be created or written; the message names it."""


def write_durably(path: Path, content: bytes) -> None:
    """Replace ``path`` with ``content``: after a crash it holds the old content or the new."""
    temporary = path.with_name(path.name + ".tmp")
    with temporary.open("wb") as file:
        file.write(content)
        file.flush()
        os.fsync(file.fileno())
    os.replace(temporary, path)
    if os.name == "posix":  # the rename lasts once the folder is written (Windows cannot)
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


class Reservations(Reserve):
    """The highest id of each kind that may be handed out, moved a block on when reached."""

    def __init__(self, path: Path, marks: dict[str, int], stamp: str) -> None:
        self.path = path
        self.marks = marks
        self.stamp = stamp

    def cover(self, kind: str, value: int) -> None:
        if value <= self.marks[kind]:
            return
        self.marks[kind] = value + BLOCK
        try:
            self.write(clean=False)
        except OSError as error:
            log.warning(
                "emulator state: cannot write %s (%s); after a crash, ids handed out from now "
                "on could come again",
                self.path,
                error,
            )

    def write(self, clean: bool) -> None:
        """Write the marks, and whether the world saved beside them is exact (a clean stop)."""
        content = {"clean": clean, "stamp": self.stamp, "marks": self.marks}
        write_durably(self.path, orjson.dumps(content))


def _marks_of(data: Any) -> dict[str, int]:
    """The marks of a well-formed ``ids.json``, else ValueError."""
    marks = data.get("marks") if isinstance(data, dict) else None
    if (
        not isinstance(marks, dict)
        or not all(isinstance(marks.get(kind), int) for kind in ID_KINDS)
        or not isinstance(data.get("clean"), bool)
    ):
        raise ValueError("not a record of reserved ids")
    return {kind: marks[kind] for kind in ID_KINDS}


class SavedWorld:
    """A world read from its folder at start and written back there after changes and at stop.

    ``world`` is the saved one, or a new one, and counts every id above those handed out
    before. Raises :class:`StateError` when the folder cannot be written.
    """

    def __init__(self, folder: Path, tokens: Iterable[str], delay: float = 0.5) -> None:
        self.folder = Path(folder)
        self.delay = delay
        self.stamp = secrets.token_hex(8)  # tells this run's world.json from an older one
        self._dirty = asyncio.Event()
        self._lock = asyncio.Lock()
        self._writer: asyncio.Task[None] | None = None
        self._saved_files: set[int] = set()
        self._failing = False
        self.world = self._open(tokens)

    def _open(self, tokens: Iterable[str]) -> World:
        try:
            (self.folder / FILES).mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise self._unwritable(error) from None
        had_ids, ids = self._read(IDS)
        marks = None
        if ids is not None:
            try:
                marks = _marks_of(ids)
            except ValueError as error:
                self._set_aside(IDS, str(error), "ids start from the clock")
        had_world, data = self._read(WORLD)
        trusted = marks is not None
        if marks is None:
            marks = self._unrecorded_marks(had_ids, had_world)
        self.reservations = Reservations(self.folder / IDS, marks, self.stamp)
        world, restored = self._load(data, tokens)
        # The saved counters are exact only if this world is the one written at a clean stop.
        if not (trusted and restored and ids["clean"] and data.get("stamp") == ids.get("stamp")):
            _raise_counters(world, marks)
        try:
            self.reservations.write(clean=False)
        except OSError as error:
            raise self._unwritable(error) from None
        log.info(
            "emulator state in %s: %d people, %d chats, %d files",
            self.folder,
            len(world.users),
            sum(len(bot.chats) for bot in world.bots.values()),
            len(world.files),
        )
        return world

    def _unwritable(self, error: OSError) -> StateError:
        reason = error.strerror or error.__class__.__name__
        return StateError(f"The emulator cannot keep its state in {self.folder}: {reason}.")

    def _read(self, name: str) -> tuple[bool, Any]:
        """Whether the folder had this file, and its JSON data (None if it was set aside)."""
        try:
            return True, orjson.loads((self.folder / name).read_bytes())
        except FileNotFoundError:
            return False, None
        except (OSError, orjson.JSONDecodeError) as error:
            consequence = "ids start from the clock" if name == IDS else "the world starts empty"
            self._set_aside(name, str(error) or error.__class__.__name__, consequence)
            return True, None

    def _set_aside(self, name: str, reason: str, consequence: str) -> None:
        path = self.folder / name
        aside = path.with_name(f"{name}.corrupt-{time.strftime('%Y%m%dT%H%M%S')}")
        try:
            os.replace(path, aside)
        except OSError as error:
            raise self._unwritable(error) from None
        log.warning(
            "emulator state: %s could not be read (%s) and was moved to %s; %s, and no id "
            "handed out before is handed out again",
            path,
            reason,
            aside.name,
            consequence,
        )

    def _unrecorded_marks(self, had_ids: bool, had_world: bool) -> dict[str, int]:
        """No marks to trust: zero in a new folder, else the clock's (see the module's note)."""
        if not (had_ids or had_world):
            return dict.fromkeys(ID_KINDS, 0)
        floor = int(time.time() * 1000)
        if not had_ids:
            log.warning(
                "emulator state: %s is missing beside a saved world; ids start from the clock, "
                "at %d, so that none handed out before is handed out again",
                self.folder / IDS,
                floor,
            )
        return dict.fromkeys(ID_KINDS, floor)

    def _load(self, data: Any, tokens: Iterable[str]) -> tuple[World, bool]:
        """The saved world and True, or a new world and False."""
        changed = self._dirty.set
        if data is None:
            return World(tokens, self.reservations, changed), False
        try:
            world, missing = snapshot.load(
                data, tokens, self.reservations, changed, self._read_file
            )
        except snapshot.ShapeError as error:
            self._set_aside(WORLD, f"not a saved world: {error}", "the world starts empty")
            return World(tokens, self.reservations, changed), False
        if missing:
            log.warning(
                "emulator state: the bytes of %d stored files are missing from %s; "
                "their messages stay, the files cannot be downloaded",
                len(missing),
                self.folder / FILES,
            )
        self._saved_files = {stored.number for stored in world.files.values()}
        return world, True

    def _read_file(self, number: int) -> bytes:
        return (self.folder / FILES / str(number)).read_bytes()

    # Saving ------------------------------------------------------------------------------------
    def start(self) -> None:
        """Start writing the world a moment after it changes (in the running event loop)."""
        self._writer = asyncio.get_running_loop().create_task(self._keep_saving())

    async def close(self) -> None:
        """Write the world a last time; if that works, the next start finds it exact."""
        async with self._lock:  # a write under way ends first
            if self._writer is not None:
                self._writer.cancel()
        if self._writer is not None:
            await asyncio.gather(self._writer, return_exceptions=True)
        if await self._save():
            try:
                self.reservations.write(clean=True)
            except OSError as error:
                log.warning("emulator state: cannot write %s (%s)", self.reservations.path, error)

    async def _keep_saving(self) -> None:
        while True:
            await self._dirty.wait()
            await asyncio.sleep(self.delay)  # the changes of this moment go in one write
            async with self._lock:
                await self._save()

    async def _save(self) -> bool:
        self._dirty.clear()
        new_files = [f for f in self.world.files.values() if f.number not in self._saved_files]
        try:
            # Serialized here, in the loop, where the world changes; written in a thread.
            document = orjson.dumps(snapshot.dump(self.world, self.stamp))
            await asyncio.to_thread(self._write, document, new_files)
        except (OSError, orjson.JSONEncodeError) as error:
            self._dirty.set()  # tried again after the next pause
            if not self._failing:
                log.warning("emulator state: cannot write the world to %s (%s)", self.folder, error)
            self._failing = True
            return False
        self._failing = False
        self._saved_files.update(stored.number for stored in new_files)
        return True

    def _write(self, document: bytes, new_files: list[StoredFile]) -> None:
        for stored in new_files:
            write_durably(self.folder / FILES / str(stored.number), stored.data)
        write_durably(self.folder / WORLD, document)


def _raise_counters(world: World, marks: dict[str, int]) -> None:
    """Every counter above its mark: the saved world may be older than the ids handed out."""
    for kind in ("user", "group", "file"):
        world.last_ids[kind] = max(world.last_ids[kind], marks[kind])
    world.first_message_id = max(world.first_message_id, marks["message"] + 1)
    for bot in world.bots.values():
        bot.last_update_id = max(bot.last_update_id, marks["update"])
        for chat in bot.chats.values():
            chat.last_message_id = max(chat.last_message_id, marks["message"])
