"""Joining by invitation, end to end through the emulator."""

from __future__ import annotations

from core.models import Role


def buttons(message: dict) -> list[str]:
    markup = message.get("reply_markup") or {}
    return [button["text"] for row in markup.get("inline_keyboard", []) for button in row]


async def test_invitation_consent_and_name_make_a_person(chat):
    async with chat.running():
        code = await chat.invitation()
        ana = await chat.client.user("Ana", language_code="es")
        await ana.send(f"/start {code}")
        greeting = await ana.next_message()
        assert "Secretaría sesea-ags" in greeting["text"]
        consent = await ana.next_message()
        assert "/borrar_mis_datos" in consent["text"]
        assert buttons(consent) == ["Acepto", "No acepto"]
        await ana.press(consent, "Acepto")
        name = await ana.next_message()
        assert "nombre" in name["text"].lower()
        await ana.send("Ana Pérez")
        done = await ana.next_message()
        assert "registro" in done["text"]
        welcome = await ana.next_message()
        assert "Ana Pérez" in welcome["text"]
    person = await chat.person(ana)
    assert person is not None
    assert person.name == "Ana Pérez"
    assert person.roles == {Role.STAFF}
    assert person.consent_version == chat.settings.privacy_notice_version
    assert person.language == "es"
