"""Random updates of every kind, from people who joined and from strangers, through the
emulator: no handler raises, every message gets an answer, and nobody is sent what was not for
them. Seeded, so a failure can be replayed (INCORRUPTIBLE_FUZZ_SEED picks another run)."""

from __future__ import annotations

import asyncio
import io
import logging
import os
import random
import string

from PIL import Image
from sqlalchemy import select

from core.buttons import Button
from core.models import Notification, Person, Role, Sector
from tests.e2e.conftest import Chat
from tests.support.reporting import task_of

SEED = int(os.environ.get("INCORRUPTIBLE_FUZZ_SEED", "20261124"))
STEPS = 60
COMMANDS = [
    "/start", "/ayuda", "/encuestas", "/tareas", "/ausente", "/cancelar", "/idioma",
    "/privacidad", "/mis_datos", "/borrar_mis_datos", "/pausar_validaciones",
    "/reanudar_validaciones", "/comando_raro",
]  # fmt: skip
WORDS = [
    "1", "2", "0", "-3", "100", "3.5", "sí", "no", "listo", "atrás", "omitir", "hoy", "mañana",
    "31/02/2026", "15/03/2026", "https://ejemplo.mx/acta", "🙂", "x" * 4096,
    "' OR 1=1 --", "<b>hola</b>", "\u202e\u0000",
]  # fmt: skip
LITERALS = [
    "report", "done", "help", "end", "confirm", "dispute", "needs_info", "decline", "evidence",
    "b", "s", "d", "es", "en", "yes", "no",
]  # fmt: skip


def picture(kind: str) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (32, 24), "green").save(output, kind)
    return output.getvalue()


FILES = [
    ("photo", picture("JPEG"), "foto.jpg", "image/jpeg"),
    ("document", picture("PNG"), "plano.png", "image/png"),
    (
        "document",
        b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
        "acta.pdf",
        "application/pdf",
    ),
    ("document", bytes(range(256)) * 8, "datos.bin", "application/octet-stream"),
    ("voice", b"OggS" + bytes(60), "nota.ogg", "audio/ogg"),
    ("video", b"\x00\x00\x00\x18ftypmp42" + bytes(40), "video.mp4", "video/mp4"),
]


class Fuzzer:
    def __init__(self, chat: Chat, people: list, rng: random.Random) -> None:
        self.chat, self.people, self.rng = chat, people, rng
        self.last_from_bot: dict[int, dict] = {}
        self.own: dict[int, list[dict]] = {person.id: [] for person in people}
        self.elsewhere: list[tuple[int, str, str]] = []  # chat, text, what caused it

    def text(self) -> str:
        rng = self.rng
        if rng.random() < 0.5:
            return rng.choice(WORDS)
        text = "".join(rng.choice(string.printable + "áéñ¿¡") for _ in range(rng.randint(1, 40)))
        return text if text.strip() else "?"  # Telegram sends no empty message

    def callback_data(self) -> str:
        rng = self.rng
        prefix = rng.choice([*Button.registry, "zz", ""])
        parts = [
            rng.choice(
                [
                    str(rng.randint(0, 30)),
                    str(10 ** rng.randint(5, 25)),
                    "-1",
                    "01",
                    "x",
                    "",
                    rng.choice(LITERALS),
                ]
            )
            for _ in range(rng.randint(0, 4))
        ]
        return ":".join([prefix, *parts])[:64] or "?"

    async def act(self, user) -> tuple[str, str]:
        """One random action of ``user``; what it was, and the answer it needs."""
        rng, chat = self.rng, self.chat
        kind = rng.choice(
            ["text", "text", "command", "press", "press", "forge", "forge", "file", "location",
             "contact", "sticker", "edit"]
        )  # fmt: skip
        last = self.last_from_bot.get(user.id)
        buttons = [
            button["text"]
            for row in ((last or {}).get("reply_markup") or {}).get("inline_keyboard", [])
            for button in row
        ]
        if kind == "press" and buttons:
            label = rng.choice(buttons)
            await user.press(last, label)
            return f"press {label!r}", "callback_answer"
        if kind in ("forge", "press"):
            target = last or (self.own[user.id] or [None])[-1]
            if target is not None:
                data = self.callback_data()
                chat.forge_press(user, target, data)
                return f"forged {data!r}", "callback_answer"
            kind = "text"
        if kind == "edit" and self.own[user.id]:
            text = self.text()
            await user.edit(rng.choice(self.own[user.id]), text)
            return f"edit to {text!r}", "message"
        if kind == "command":
            command = rng.choice(COMMANDS)
            if rng.random() < 0.5:
                command += " " + self.text()
            sent = await user.send(command[:4096])
            self.own[user.id].append(sent)
            return f"command {command[:60]!r}", "message"
        if kind == "file":
            file_kind, data, name, mime = rng.choice(FILES)
            await user.upload(file_kind, data, name, mime, caption=rng.choice([None, "Acuse"]))
            return f"{file_kind} {name}", "message"
        if kind == "location":
            await user.share_location(rng.uniform(-90, 90), rng.uniform(-180, 180))
            return "location", "message"
        if kind == "contact":
            await user.send_contact("+524491234567")
            return "contact", "message"
        if kind == "sticker":
            await user.send_sticker()
            return "sticker", "message"
        text = self.text()
        sent = await user.send(text)
        self.own[user.id].append(sent)
        return f"text {text[:60]!r}", "message"

    async def step(self, number: int) -> None:
        user = self.rng.choice(self.people)
        before = await self.marks()
        user.cursors[user.id] = before[user.id]
        what, needed = await self.act(user)
        cause = f"step {number}: {user.data['first_name']} sent {what}"
        try:
            await user.next_event(timeout=15, kinds=(needed,))
        except TimeoutError:
            raise AssertionError(f"no answer to {cause}") from None
        await self.quiet()
        for person in self.people:
            events = (await self.chat.client.events(person.id, after=before[person.id]))["events"]
            for event in events:
                if event["from_bot"] and event["kind"] == "message":
                    message = event["message"] | {"reply_markup": event["reply_markup"]}
                    self.last_from_bot[person.id] = message
                    if person.id != user.id:
                        self.elsewhere.append((person.id, message.get("text") or "", cause))

    async def marks(self) -> dict[int, int]:
        """How many events each person's chat has had."""
        return {
            person.id: (await self.chat.client.events(person.id))["last"] for person in self.people
        }

    async def quiet(self) -> None:
        """Wait until the bot has said everything it had to say."""
        marks = await self.marks()
        while True:
            await asyncio.sleep(0.2)
            now = await self.marks()
            if now == marks:
                return
            marks = now


async def test_random_updates_are_answered_without_errors_and_only_to_their_audience(
    chat, tmp_path, caplog
):
    chat.settings = chat.settings.model_copy(update={"data_dir": tmp_path})
    with caplog.at_level(logging.ERROR):
        async with chat.running():
            ana = await chat.join("Ana")
            olga = await chat.join("Olga", role=Role.CIVIL_SOCIETY, sector=Sector.OSC)
            stranger = await chat.client.user("Eva")
            await stranger.send("/ayuda")
            await stranger.next_message()
            await task_of(chat, ana)
            await chat.launch()
            await ana.next_message()  # the campaign's invitation
            await olga.next_message()
            fuzzer = Fuzzer(chat, [ana, olga, stranger], random.Random(SEED))
            for number in range(STEPS):
                await fuzzer.step(number)
    failures = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert not failures, [record.getMessage() for record in failures]
    async with chat.session_factory() as session:
        rows = await session.execute(
            select(Person.telegram_id, Notification.text).join(
                Person, Person.id == Notification.person_id
            )
        )
        notified = {tuple(row) for row in rows}
    stray = [(chat_id, text, cause) for chat_id, text, cause in fuzzer.elsewhere
             if (chat_id, text) not in notified]  # fmt: skip
    assert not stray, stray
