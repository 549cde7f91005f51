"""A validator who writes a comment is asked, in their language, whether it may be published
without their name; the answer is committed before the bot replies, and the advance's public
page shows the comment only where the answer was yes."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from admin.app import create_app
from core.models import Person, Role, Sector, ValidationAssignment, ValidationRequest
from tests.e2e.conftest import buttons
from tests.e2e.test_validation import reported, set_sector

SAID_YES = "Estuve en la sesión y vi el acta firmada."
SAID_NO = "I would rather keep this between us."


async def consent_of(chat, user) -> tuple[bool, str | None]:
    async with chat.session_factory() as session:
        person = await session.scalar(select(Person).where(Person.telegram_id == user.id))
        assignment = await session.scalar(
            select(ValidationAssignment).where(ValidationAssignment.person_id == person.id)
        )
        await session.refresh(assignment, ["vote"])
        return assignment.vote.public_comment, assignment.vote.comment


async def test_the_comment_is_published_only_where_its_author_said_yes(chat):
    async with chat.running():
        ana = await chat.join("Ana")
        validators = {}
        for name, language, sector in (
            ("Olga", "es", Sector.OSC),
            ("Alma", "en", Sector.ACADEMIA),
            ("Beto", "es", Sector.BUSINESS),
        ):
            validators[name] = await chat.join(
                name, language=language, role=Role.CIVIL_SOCIETY, sector=sector
            )
            await set_sector(chat, validators[name], sector)
        request_id = await reported(chat, ana)
        olga, alma, beto = validators.values()
        prompts = {name: await user.next_message() for name, user in validators.items()}

        await olga.press(prompts["Olga"], "Confirmo")
        await olga.send(SAID_YES, reply_to=await olga.next_message())
        asked = await olga.next_message()
        assert (
            "¿Podemos publicar tu comentario en la página pública del avance, sin tu nombre?"
            in (asked["text"])
        )
        assert buttons(asked) == ["Sí", "No"]
        assert await consent_of(chat, olga) == (False, SAID_YES)  # no until they say yes
        await olga.press(asked, "Sí")
        said = await olga.next_message()
        assert "aparecerá en la página pública del avance, sin tu nombre" in said["text"]
        assert await consent_of(chat, olga) == (True, SAID_YES)  # committed before the reply
        await olga.next_event(kinds=("edit",))  # the buttons go

        await alma.press(prompts["Alma"], "I confirm")
        await alma.send(SAID_NO, reply_to=await alma.next_message())
        asked = await alma.next_message()
        assert (
            "May we publish your comment on the advance's public page, without your name?"
            in (asked["text"])
        )
        assert buttons(asked) == ["Yes", "No"]
        await alma.press(asked, "No")
        said = await alma.next_message()
        assert said["text"] == "Your comment stays private: only the secretariat reads it."
        assert await consent_of(chat, alma) == (False, SAID_NO)

        await beto.press(prompts["Beto"], "Confirmo")
        await beto.next_message()
    async with chat.session_factory() as session:
        request = await session.get(ValidationRequest, request_id)
        assert request.state == "validated"
        report_id = request.report_id

    settings = chat.settings.model_copy(update={"bot_username": "incorruptible_test_bot"})
    app = create_app(settings, chat.session_factory)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://site.test"
    ) as http:
        page = (await http.get(f"/avances/{report_id}")).text
    assert SAID_YES in page
    assert SAID_NO not in page
