"""The emulator's world kept in a folder: a restart keeps it, and no id is ever handed out twice."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import sys
import time
from pathlib import Path

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramForbiddenError
from aiogram.types import BotCommand, KeyboardButton, MenuButtonCommands, ReplyKeyboardMarkup

from emulator.client import EmulatorClient, SimulatedUser
from emulator.server import Emulator
from emulator.state import StateError
from tests.support.telegram import TOKEN, aiogram_bot, emulated
from tests.support.webhook import Receiver, received

# An emulator in a process of its own that would write its world only at stop: killed, it
# writes nothing, as if it crashed right after handing the ids out.
NEVER_SAVING = """
import asyncio, sys
from pathlib import Path
from emulator.server import Emulator

async def main():
    state, token = Path(sys.argv[1]), sys.argv[2]
    async with Emulator(tokens=[token], state_dir=state, save_delay=3600) as emulator:
        print(emulator.port, flush=True)
        await asyncio.Event().wait()

asyncio.run(main())
"""
DAMAGES = {
    "truncated": lambda saved: saved[: len(saved) // 2],
    "not JSON": lambda saved: b"\x00\xff not JSON at all",
    "of the wrong shape": lambda saved: b'{"format": 1, "users": "nobody"}',
}


def again(user: SimulatedUser, people: EmulatorClient) -> SimulatedUser:
    """The same person, acting through another client (of the restarted emulator)."""
    return SimulatedUser(people, user.data)


async def confirm_all(bot: Bot) -> int:
    """Confirm every pending update, as a polling bot does; the id of the last one."""
    updates = await bot.get_updates()
    await bot.get_updates(offset=updates[-1].update_id + 1)
    return updates[-1].update_id


async def history(state: Path) -> tuple[SimulatedUser, int, int]:
    """Ana wrote and the bot answered: Ana, the last update id and the last message id."""
    async with emulated(state_dir=state) as telegram:
        ana = await telegram.people.user("Ana")
        await ana.send("hola")
        answer = await telegram.bot.send_message(ana.id, "Hola, Ana")
        return ana, await confirm_all(telegram.bot), answer.message_id


def warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "emulator.state"]


async def test_a_restart_keeps_people_chats_and_counts_on_from_there(tmp_path):
    state = tmp_path / "emulator"
    async with emulated(state_dir=state) as telegram:
        bot, people = telegram.bot, telegram.people
        ana = await people.user("Ana", username="ana_mx")
        beto = await people.user("Beto")
        group = await people.group("Equipo", [ana, beto])
        await ana.send("/start")
        keyboard = ReplyKeyboardMarkup(keyboard=[[KeyboardButton(text="Sí")]], resize_keyboard=True)
        asked = await bot.send_message(ana.id, "¿Seguimos?", reply_markup=keyboard)
        await people.block(beto.id)
        pending = [update.update_id for update in await bot.get_updates()]  # not confirmed
        events = await ana.events()
        chat = await people.chat(ana.id)

    async with emulated(state_dir=state) as telegram:
        bot, people = telegram.bot, telegram.people
        assert await people.request("GET", "/control/users") == [ana.data, beto.data]
        assert await again(ana, people).events() == events
        assert await people.chat(ana.id) == chat
        assert chat["reply_keyboard"]["keyboard"] == [[{"text": "Sí"}]]
        assert (await bot.get_chat_member(group["id"], beto.id)).status == "member"
        with pytest.raises(TelegramForbiddenError, match="blocked"):
            await bot.send_message(beto.id, "¿Sigues ahí?")
        # What the bot had not confirmed comes again; then every count goes on where it was.
        redelivered = await bot.get_updates()
        assert [update.update_id for update in redelivered] == pending
        assert redelivered[0].message.text == "/start"
        await bot.get_updates(offset=pending[-1] + 1)
        said = await again(ana, people).send("Sí")
        assert said["message_id"] == asked.message_id + 1
        [update] = await bot.get_updates()
        assert update.update_id == pending[-1] + 1
        assert (await people.user("Carla")).id == beto.id + 1


async def test_files_and_the_bots_settings_survive_a_restart(tmp_path, serve):
    state = tmp_path / "emulator"
    receiver = Receiver()
    url = await serve(receiver)
    async with emulated(state_dir=state) as telegram:
        bot, people = telegram.bot, telegram.people
        ana = await people.user("Ana")
        document = (await ana.upload_document(b"%PDF-1.4 acta", "acta.pdf", "application/pdf"))[
            "document"
        ]
        path = (await bot.get_file(document["file_id"])).file_path
        await bot.set_my_commands([BotCommand(command="ayuda", description="Qué puedo hacer")])
        await bot.set_my_description("Un bot de prueba")
        await bot.set_chat_menu_button(chat_id=ana.id, menu_button=MenuButtonCommands())
        await bot.set_webhook(url, secret_token="s3cr3t")
        await received(receiver, 1)  # the upload

    async with emulated(state_dir=state) as telegram:
        bot, people = telegram.bot, telegram.people
        assert (await bot.get_file(document["file_id"])).file_path == path
        assert (await bot.download_file(path)).read() == b"%PDF-1.4 acta"
        assert await people.file(document["file_id"]) == b"%PDF-1.4 acta"
        assert [command.command for command in await bot.get_my_commands()] == ["ayuda"]
        assert (await bot.get_my_description()).description == "Un bot de prueba"
        assert (await bot.get_chat_menu_button(chat_id=ana.id)).type == "commands"
        assert (await bot.get_webhook_info()).url == url
        await again(ana, people).send("después")
        await received(receiver, 2)
        update, secret = receiver.received[1]
        assert (update["message"]["text"], secret) == ("después", "s3cr3t")


async def test_the_world_is_written_a_moment_after_it_changes(tmp_path):
    state = tmp_path / "emulator"
    async with emulated(state_dir=state, save_delay=0.05) as telegram:
        ana = await telegram.people.user("Ana")
        for _ in range(200):  # while it runs, not at stop
            if ana.id in saved_users(state):
                break
            await asyncio.sleep(0.05)
        assert ana.id in saved_users(state)


def saved_users(state: Path) -> list[int]:
    try:
        saved = json.loads((state / "world.json").read_text())
    except FileNotFoundError:
        return []
    return [user["id"] for user in saved["users"]]


async def test_after_a_crash_no_id_handed_out_before_comes_again(tmp_path):
    state = tmp_path / "emulator"
    ana, _, _ = await history(state)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", NEVER_SAVING, str(state), TOKEN, stdout=asyncio.subprocess.PIPE
    )
    try:
        base_url = f"http://127.0.0.1:{int(await asyncio.wait_for(process.stdout.readline(), 30))}"
        bot = aiogram_bot(base_url)
        async with EmulatorClient(base_url) as people:
            beto = await people.user("Beto")
            group = await people.group("Equipo", [beto])
            await again(ana, people).send("sigo aquí")
            answer = await bot.send_message(ana.id, "Bien")
            sent = await beto.upload_document(b"uno", "uno.txt", "text/plain")
            path = (await bot.get_file(sent["document"]["file_id"])).file_path
            handed = await confirm_all(bot)
        await bot.session.close()
    finally:
        process.kill()  # SIGKILL: nothing more is written
        await process.wait()

    async with emulated(state_dir=state) as telegram:
        bot, people = telegram.bot, telegram.people
        users = await people.request("GET", "/control/users")
        assert [user["id"] for user in users] == [ana.id]  # Beto went with the crash...
        carla = await people.user("Carla")
        assert carla.id > beto.id  # ...and his id stays his
        assert (await people.group("Otro", [carla]))["id"] < group["id"]
        said = await again(ana, people).send("¿sigues?")
        assert said["message_id"] > answer.message_id
        [update] = await bot.get_updates()
        assert update.update_id > handed
        sent = await carla.upload_document(b"dos", "dos.txt", "text/plain")
        new_path = (await bot.get_file(sent["document"]["file_id"])).file_path
        assert file_number(new_path) > file_number(path)


def file_number(path: str) -> int:
    return int(re.fullmatch(r"documents/file_(\d+)\.txt", path)[1])


@pytest.mark.parametrize("damage", DAMAGES)
async def test_a_damaged_world_is_set_aside_in_one_line_and_ids_still_go_forward(
    tmp_path, caplog, damage
):
    state = tmp_path / "emulator"
    ana, handed, answered = await history(state)
    world = state / "world.json"
    damaged = DAMAGES[damage](world.read_bytes())
    world.write_bytes(damaged)
    caplog.set_level(logging.WARNING, "emulator.state")
    async with emulated(state_dir=state) as telegram:
        bot, people = telegram.bot, telegram.people
        [warning] = warnings(caplog)
        [aside] = state.glob("world.json.corrupt-*")
        assert f"{world} could not be read" in warning
        assert f"moved to {aside.name}" in warning
        assert "\n" not in warning
        assert aside.read_bytes() == damaged
        assert await people.request("GET", "/control/users") == []
        carla = await people.user("Carla")
        assert carla.id > ana.id
        said = await carla.send("hola")
        assert said["message_id"] > answered
        [update] = await bot.get_updates()
        assert update.update_id > handed


async def test_with_the_reserved_ids_damaged_too_ids_start_from_the_clock(tmp_path, caplog):
    state = tmp_path / "emulator"
    await history(state)
    (state / "world.json").write_bytes(b"{")
    (state / "ids.json").write_bytes(b"garbage")
    started = int(time.time() * 1000)
    caplog.set_level(logging.WARNING, "emulator.state")
    async with emulated(state_dir=state) as telegram:
        ids_line, world_line = warnings(caplog)
        assert "ids.json could not be read" in ids_line and "clock" in ids_line
        assert "world.json could not be read" in world_line
        assert (state / "ids.json").exists()
        carla = await telegram.people.user("Carla")
        said = await carla.send("hola")
        [update] = await telegram.bot.get_updates()
        assert min(carla.id, said["message_id"], update.update_id) >= started


async def test_a_saved_world_without_its_reserved_ids_counts_from_the_clock(tmp_path, caplog):
    state = tmp_path / "emulator"
    ana, _, _ = await history(state)
    (state / "ids.json").unlink()
    started = int(time.time() * 1000)
    caplog.set_level(logging.WARNING, "emulator.state")
    async with emulated(state_dir=state) as telegram:
        [warning] = warnings(caplog)
        assert "ids.json is missing" in warning and "clock" in warning
        said = await again(ana, telegram.people).send("sigo aquí")
        carla = await telegram.people.user("Carla")
        assert min(carla.id, said["message_id"]) >= started


def test_a_folder_that_cannot_be_written_is_named_in_the_error(tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the data folder should be")
    with pytest.raises(StateError, match=re.escape(str(blocker / "emulator"))):
        Emulator(tokens=[TOKEN], state_dir=blocker / "emulator")
