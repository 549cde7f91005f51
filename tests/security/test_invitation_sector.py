"""Validation spreads its requests over civil-society sectors, so a person's sector is the one
their invitation names: an invitation for one sector never joins someone to another."""

from __future__ import annotations

from core.models import Role, Sector


async def test_the_joining_conversation_never_asks_for_a_sector(chat):
    async with chat.running():
        code = await chat.invitation(role=Role.CIVIL_SOCIETY, sector=Sector.OSC)
        lupe = await chat.client.user("Lupe", language_code="es")
        await lupe.send(f"/start {code}")
        await lupe.next_message()  # greeting
        consent = await lupe.next_message()
        await lupe.press(consent, consent["reply_markup"]["inline_keyboard"][0][0]["text"])
        asked = [(await lupe.next_message())["text"]]
        await lupe.send("Lupe Díaz")
        asked.append((await lupe.next_message())["text"])
        # Whatever is typed where a sector question once stood is taken as the organisation.
        await lupe.send("academia")
        await lupe.next_message()  # registered
    assert not any("sector" in text.lower() for text in asked), asked
    person = await chat.person(lupe)
    assert (person.sector, person.organisation) == (Sector.OSC, "academia")
