"""Joining by invitation, end to end through the emulator."""

from __future__ import annotations

from sqlalchemy import func, select

from core.models import ResponseSession, Role, Sector
from tests.e2e.conftest import buttons


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


async def test_refusing_consent_keeps_nothing(chat):
    async with chat.running():
        code = await chat.invitation()
        beto = await chat.client.user("Beto", language_code="es")
        await beto.send(f"/start {code}")
        await beto.next_message()
        consent = await beto.next_message()
        await beto.press(consent, "No acepto")
        goodbye = await beto.next_message()
        assert "consentimiento" in goodbye["text"]
    assert await chat.person(beto) is None
    async with chat.session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(ResponseSession)) == 0


async def test_used_expired_and_unknown_codes_are_refused_clearly(chat):
    async with chat.running():
        ana = await chat.join("Ana")
        code = await chat.invitation()
        first = await chat.client.user("Carla", language_code="es")
        await first.send(f"/start {code}")
        await first.next_message()
        consent = await first.next_message()
        await first.press(consent, "Acepto")
        await first.next_message()
        await first.send("Carla Ruiz")
        await first.next_message()
        second = await chat.client.user("Dario", language_code="es")
        await second.send(f"/start {code}")
        assert "ya se utilizó" in (await second.next_message())["text"]

        expired = await chat.invitation()
        await chat.expire(expired)
        await second.send(f"/start {expired}")
        assert "venció" in (await second.next_message())["text"]

        await second.send("/start codigo-inventado")
        assert "no es válido" in (await second.next_message())["text"]

        await second.send("/start")
        assert "invitación" in (await second.next_message())["text"]
        await ana.send("/start")
        assert "Ana Pérez" in (await ana.next_message())["text"]
    assert await chat.person(second) is None


async def test_civil_society_gives_organisation_and_keeps_the_invitations_sector(chat):
    async with chat.running():
        eva = await chat.join("Eva", role=Role.CIVIL_SOCIETY, sector=Sector.MEDIA)
    person = await chat.person(eva)
    assert person.roles == {Role.CIVIL_SOCIETY}
    # Validation spreads over sectors: nobody picks their own.
    assert person.sector == Sector.MEDIA
    assert person.organisation == "Observatorio Ciudadano"


async def test_strangers_reach_only_start_help_and_privacy(chat):
    async with chat.running():
        stranger = await chat.client.user("Fede", language_code="es")
        await stranger.send("/encuestas")
        assert "personas registradas" in (await stranger.next_message())["text"]
        await stranger.send("/mis_datos")
        assert "personas registradas" in (await stranger.next_message())["text"]
        await stranger.send("hola")
        assert "invitación" in (await stranger.next_message())["text"]
        await stranger.send("/ayuda")
        assert "/privacidad" in (await stranger.next_message())["text"]
        await stranger.send("/privacidad")
        notice = await stranger.next_message()
        assert "Aviso de privacidad" in notice["text"]
        assert chat.settings.privacy_notice_version in notice["text"]


async def test_english_speakers_join_in_english(chat):
    async with chat.running():
        code = await chat.invitation()
        gina = await chat.client.user("Gina", language_code="en-US")
        await gina.send(f"/start {code}")
        assert "invites you" in (await gina.next_message())["text"]
        consent = await gina.next_message()
        assert buttons(consent) == ["I agree", "I do not agree"]
        await gina.press(consent, "I agree")
        assert "full name" in (await gina.next_message())["text"]
        await gina.send("Gina Smith")
        await gina.next_message()
        assert "Welcome, Gina Smith" in (await gina.next_message())["text"]
        await gina.send("/idioma")
        choose = await gina.next_message()
        await gina.press(choose, "Español")
        changed = await gina.next_event(kinds=("edit",))
        assert changed["message"]["text"] == "Listo: te escribiré en español."
        await gina.send("/ayuda")
        assert "Esto es lo que puedes hacer" in (await gina.next_message())["text"]
    assert (await chat.person(gina)).language == "es"


async def menu_of(chat, user) -> dict[str, str]:
    entries = await chat.client.request("GET", "/control/commands", params={"user_id": user.id})
    return {entry["command"]: entry["description"] for entry in entries}


async def test_the_command_menu_speaks_each_persons_language_and_fits_their_roles(chat):
    async with chat.running():
        ana = await chat.client.user("Ana", language_code="es")
        gina = await chat.client.user("Gina", language_code="en")
        await ana.send("/ayuda")  # the menu of strangers is set before polling starts
        await ana.next_message()
        # Before joining: only what a stranger can use, in their language.
        assert await menu_of(chat, ana) == {
            "ayuda": "Qué hace este bot y cómo usarlo", "privacidad": "Aviso de privacidad"
        }  # fmt: skip
        assert set(await menu_of(chat, gina)) == {"help", "privacy"}

        lucia = await chat.join("Lucía", role=Role.STAFF)
        hugo = await chat.join("Hugo", "en", role=Role.CIVIL_SOCIETY, sector=Sector.OSC)
        for user in (lucia, hugo):
            await user.send("/ayuda")
            await user.next_message()
        staff, civil = await menu_of(chat, lucia), await menu_of(chat, hugo)
        # Kept, so that it is set again only when it would change.
        assert (await chat.person(lucia)).command_menu is not None
        assert {"tareas", "ausente", "encuestas", "borrar_mis_datos"} <= set(staff)
        assert "pausar_validaciones" not in staff
        assert staff["borrar_mis_datos"] == "Borrar mis datos personales"
        assert {"surveys", "help", "delete_my_data", "pause_validations"} <= set(civil)
        assert not {"tasks", "away"} & set(civil)
        assert "herramientas" in staff and "toolbox" in civil  # the manual is for everyone
        assert civil["delete_my_data"] == "Erase my personal data"

        # English names work for everyone, and help names the commands in the person's language.
        await hugo.send("/help")
        help_text = (await hugo.next_message())["text"]
        assert "/surveys:" in help_text and "/resume_validations:" in help_text
        assert "/tasks" not in help_text
        await lucia.send("/tareas")
        in_spanish = (await lucia.next_message())["text"]
        await lucia.send("/tasks")
        assert (await lucia.next_message())["text"] == in_spanish
        await hugo.send("/language")
        assert (await hugo.next_message())["reply_markup"]["inline_keyboard"]


async def test_agreeing_after_declining_says_to_open_the_invitation_again(chat):
    async with chat.running():
        code = await chat.invitation()
        beto = await chat.client.user("Beto", language_code="es")
        await beto.send(f"/start {code}")
        await beto.next_message()
        consent = await beto.next_message()
        accept = consent["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
        await beto.press(consent, "No acepto")
        await beto.next_message()
        # "Acepto" of the same message, pressed before the client took the buttons away.
        chat.forge_press(beto, consent, accept)
        answer = await beto.next_event(kinds=("callback_answer",))
        assert answer["answer"]["text"] == (
            "Esa conversación terminó y no se guardó nada de ella. Para registrarte, abre de "
            "nuevo tu enlace de invitación."
        )
        await beto.send(f"/start {code}")
        await beto.next_message()
        assert buttons(await beto.next_message()) == ["Acepto", "No acepto"]
    assert await chat.person(beto) is None


async def test_whoever_has_tasks_is_told_of_tareas_on_joining_and_on_coming_back(chat):
    async with chat.running():
        said = {}
        for name, role in (("Ana", Role.STAFF), ("Olga", Role.CIVIL_SOCIETY)):
            user = await chat.client.user(name, language_code="es")
            code = await chat.invitation(role=role, sector=Sector.OSC if name == "Olga" else None)
            await user.send(f"/start {code}")
            await user.next_message()
            await user.press(await user.next_message(), "Acepto")
            await user.next_message()
            await user.send(f"{name} Pérez")
            if role == Role.CIVIL_SOCIETY:
                await user.next_message()
                await user.send("Observatorio Ciudadano")
            await user.next_message()  # registered
            welcome = (await user.next_message())["text"]
            await user.send("/start")
            said[name] = (welcome, (await user.next_message())["text"])
    assert "/tareas" in said["Ana"][0]
    assert said["Ana"][1] == (
        "¡Hola de nuevo, Ana Pérez! Tus tareas están en /tareas, tus encuestas pendientes en "
        "/encuestas y la ayuda en /ayuda."
    )
    assert "/tareas" not in said["Olga"][0] and "/tareas" not in said["Olga"][1]
