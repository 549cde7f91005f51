"""The manual in chat with the real aiogram client: /herramientas lists the chapters, a chapter
is read a section at a time with “Siguiente”, and its last section ends with its action; a
stale or forged button gets a short answer; the same in English with /toolbox."""

from __future__ import annotations

from bot import menu
from core.toolbox.manual import manual
from tests.e2e.conftest import buttons

SITE = "https://incorruptible.example.org"


def chapter_buttons(language: str) -> list[str]:
    labels = []
    for chapter in manual().chapters:
        title = chapter.title[language]
        labels.append(f"{menu_step(chapter.step)}. {title}" if chapter.step else title)
    return labels


def menu_step(step: str) -> int:
    return [chapter.step for chapter in manual().steps()].index(step) + 1


async def read_to_the_end(user, message: dict, forward: str) -> tuple[dict, int]:
    """Presses ``forward`` until the chapter's last section: its last message, and how many
    sections were read."""
    read = 1
    while True:
        while not buttons(message):
            message = await user.next_message()
        if forward not in buttons(message):
            return message, read
        await user.press(message, forward)
        message = await user.next_message()
        read += 1


def ending_with(kind: str):
    """The first chapter whose action is of that kind."""
    return next(c for c in manual().chapters if c.action is not None and c.action.kind == kind)


def test_every_command_a_chapter_names_is_a_command_of_the_bot():
    named = [
        chapter.action.target
        for chapter in manual().chapters
        if chapter.action and chapter.action.kind == "command"
    ]
    assert named and all(menu.named(target.removeprefix("/")) for target in named)


async def test_a_chapter_read_in_chat_to_its_survey_then_started_from_it(chat):
    # A step's survey: staff like her are among those it is launched to.
    chapter = next(c for c in manual().steps() if c.action and c.action.kind == "survey")
    title, label = chapter.title["es"], chapter.action.label["es"]
    sections = len(chapter.texts["es"].sections)
    async with chat.running():
        ana = await chat.join("Ana")
        await ana.send("/herramientas")
        contents = await ana.next_message()
        assert "¿Qué capítulo quieres leer?" in contents["text"]
        assert buttons(contents) == chapter_buttons("es")
        await ana.press(contents, chapter_buttons("es")[chapter.number])
        first = await ana.next_message()
        assert first["text"].startswith(title)
        assert {"type": "bold", "offset": 0, "length": len(title)} in first["entities"]
        last, read = await read_to_the_end(ana, first, "Siguiente")
        assert read == sections
        assert buttons(last) == ["Índice"]
        assert f"«{label}»" in last["text"] and "/encuestas" in last["text"]

        # Once the survey is launched to her, the chapter's end starts it.
        await chat.launch(chapter.action.target)
        invitation = await ana.next_message()  # sent by the outbox worker
        assert buttons(invitation)
        await ana.press(last, "Índice")
        contents = await ana.next_message()
        assert buttons(contents) == chapter_buttons("es")
        await ana.press(contents, chapter_buttons("es")[chapter.number])
        last, _read = await read_to_the_end(ana, await ana.next_message(), "Siguiente")
        assert buttons(last) == [label, "Índice"]
        await ana.press(last, label)
        question = await ana.next_message()
        assert question["text"]
        assert (await chat.response(ana)).definition_id == chapter.action.target


async def test_a_stale_or_forged_button_gets_a_short_answer(chat):
    chapters = len(manual().chapters)
    async with chat.running():
        ana = await chat.join("Ana")
        await ana.send("/herramientas")
        contents = await ana.next_message()
        for forged in (f"tb:{chapters}:0", "tb:0:999", "tb:2147483647:0"):
            chat.forge_press(ana, contents, forged)
            answer = await ana.next_event(kinds=("callback_answer",))
            assert answer["answer"]["show_alert"] is True
            assert "Esa página del manual ya no existe" in answer["answer"]["text"]
            assert "/herramientas" in answer["answer"]["text"]
        chat.forge_press(ana, contents, "tb:1")
        answer = await ana.next_event(kinds=("callback_answer",))
        assert answer["answer"]["text"] == "Este botón ya no es válido."
        # Nothing else was said.
        await ana.send("/herramientas")
        assert buttons(await ana.next_message()) == chapter_buttons("es")


async def test_in_english_a_download_is_a_link_to_the_site_and_a_command_is_named(chat):
    chat.settings = chat.settings.model_copy(update={"public_base_url": SITE})
    downloaded, commanded = ending_with("download"), ending_with("command")
    async with chat.running():
        bob = await chat.join("Bob", language="en")
        await bob.send("/toolbox")
        contents = await bob.next_message()
        assert "Which chapter do you want to read?" in contents["text"]
        assert buttons(contents) == chapter_buttons("en")
        await bob.press(contents, chapter_buttons("en")[downloaded.number])
        last, _read = await read_to_the_end(bob, await bob.next_message(), "Next")
        download, index = last["reply_markup"]["inline_keyboard"]
        assert download[0]["url"] == SITE + downloaded.action.download_path
        assert download[0]["text"] == downloaded.action.label["en"]
        assert [button["text"] for button in index] == ["Contents"]
        # Links between chapters point at the public site, in English.
        linked = {
            entity["url"]
            for event in await bob.events()
            if event["kind"] == "message"
            for entity in event["message"].get("entities", [])
            if entity["type"] == "text_link"
        }
        assert any(url.startswith(f"{SITE}/caja-de-herramientas/") for url in linked)
        assert all(url.endswith("?lang=en") or "?lang=en#" in url for url in linked if SITE in url)

        await bob.press(last, "Contents")
        contents = await bob.next_message()
        await bob.press(contents, chapter_buttons("en")[commanded.number])
        last, _read = await read_to_the_end(bob, await bob.next_message(), "Next")
        assert buttons(last) == ["Contents"]
        english = menu.named(commanded.action.target.removeprefix("/")).english
        assert f"send /{english}." in last["text"]
