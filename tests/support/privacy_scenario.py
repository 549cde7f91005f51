"""A secretariat's life through the real bot, leaving personal data everywhere it can go.

Staff and civil society join (one through an invitation bound to a record the secretariat made),
Ana answers a survey with a phone and an email, reports a task with a photo and a link, reports
another blocked and asks for help; three validators vote, one with a comment and one asking a
question Ana answers; Ana records an absence; then Ana and Beto erase their data in chat.
Everything personal each person typed or was given is kept in ``Someone.values``.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from PIL import Image
from sqlalchemy import select

from conversations.definition import Definition
from core.audit.actor import Actor
from core.chat.my_tasks import ask_for_help
from core.models import Person, ProgressReport, Role, Sector, TokenRole, utcnow
from core.people import invitations, tokens
from core.people.people import create_person, update_person
from core.plans import tasks
from core.reporting import reports
from core.validation.requests import request_validation
from emulator.client import SimulatedUser
from tests.e2e.conftest import Chat, buttons
from tests.support import factories, practices

SURVEY = {
    "id": "privacy_survey",
    "version": 1,
    "kind": "survey",
    "title": {"es": "Opinión", "en": "Opinion"},
    "description": {"es": "Tres preguntas.", "en": "Three questions."},
    "completion": {"es": "Gracias.", "en": "Thanks."},
    "questions": [
        {"id": "opinion", "type": "text", "text": {"es": "Opinión", "en": "Opinion"}},
        {"id": "phone", "type": "phone", "text": {"es": "Teléfono", "en": "Phone"}},
        {"id": "mail", "type": "email", "text": {"es": "Correo", "en": "Email"}},
    ],
}
MEXICO_CITY = ZoneInfo("America/Mexico_City")


@dataclass
class Someone:
    user: SimulatedUser
    name: str
    username: str
    note: str  # of their invitation
    organisation: str | None = None
    email: str | None = None
    wrote: list[str] = field(default_factory=list)  # free texts, phones and emails they typed
    person_id: int = 0

    @property
    def values(self) -> list[str]:
        """Every personal value of theirs the scenario created."""
        given = [self.name, self.username, str(self.user.id), self.note, self.organisation]
        return [value for value in [*given, self.email, *self.wrote] if value]


@dataclass
class Scenario:
    people: dict[str, Someone]
    erased: list[str]
    token_label: str
    plan_id: int
    practice_id: int
    my_data: dict[str, str]  # what /mis_datos showed each person before the erasures

    def values_of(self, *names: str) -> dict[str, str]:
        """Each personal value, with whose it is."""
        return {value: name for name in names for value in self.people[name].values}


def photo() -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(output, "JPEG")
    return output.getvalue()


async def join(
    chat: Chat,
    name: str,
    username: str,
    role: Role,
    *,
    sector: Sector | None = None,
    organisation: str | None = None,
    person_id: int | None = None,
) -> Someone:
    """Someone who joined through the whole joining conversation, with a noted invitation."""
    first = name.split()[0]
    note = f"Invitación para {name} ({username})"
    secretariat_id = await chat.secretariat()
    async with chat.session_factory() as session, session.begin():
        issued = await invitations.create_invitation(
            session,
            secretariat_id,
            Actor.cli(),
            role=None if person_id else role,
            sector=None if person_id else sector,
            note=note,
            person_id=person_id,
        )
    user = await chat.client.user(first, username=username, language_code="es")
    await user.send(f"/start {issued.code}")
    await user.next_message()  # greeting
    consent = await user.next_message()
    await user.press(consent, "Acepto")
    if person_id is None:
        await user.next_message()  # name
        await user.send(name)
    if organisation:
        await user.next_message()
        await user.send(organisation)
    await user.next_message()  # registered
    await user.next_message()  # welcome
    someone = Someone(user, name, username, note, organisation)
    async with chat.session_factory() as session:
        someone.person_id = await session.scalar(
            select(Person.id).where(Person.telegram_id == user.id)
        )
    return someone


async def answer_survey(chat: Chat, ana: Someone) -> None:
    chat.catalog.definitions[SURVEY["id"]] = Definition.model_validate(SURVEY)
    await chat.launch(SURVEY["id"], person_ids=frozenset({ana.person_id}))
    invitation = await ana.user.next_message()
    await ana.user.press(invitation, "Empezar")
    for answer in ("Quisiera más transparencia en Planeación", "55 1234 5678", "ana@correo.mx"):
        await ana.user.next_message()
        await ana.user.send(answer)
        ana.wrote.append(answer)
    await ana.user.next_message()  # thanks


async def report_in_chat(chat: Chat, ana: Someone) -> None:
    """Ana's report from /tareas: in progress, with a note, a photo and a link."""
    await ana.user.send("/tareas")
    listing = await ana.user.next_message()
    await ana.user.press(listing, buttons(listing)[0])
    await ana.user.next_message()  # header
    status = await ana.user.next_message()
    await ana.user.press(status, next(b for b in buttons(status) if "En curso" in b))
    await ana.user.next_message()  # percent
    await ana.user.send("60")
    await ana.user.next_message()  # hours
    await ana.user.send("3")
    await ana.user.next_message()  # note
    note = "Entregué el acta a la licenciada Ruiz, mi celular es 55 8765 4321"
    await ana.user.send(note)
    await ana.user.next_message()  # evidence
    caption = "Acuse que firmó Ana en ventanilla"
    await ana.user.upload_photo(photo(), caption=caption)
    await ana.user.next_message()
    link = "https://ejemplo.mx/expedientes/ana-perez-luna"
    await ana.user.send(link)
    last = await ana.user.next_message()
    await ana.user.press(last, "Listo")
    await ana.user.next_message()
    await ana.user.next_message()
    ana.wrote += [note, caption, link]


async def reply(someone: Someone, text: str) -> None:
    """Answer the message just received by replying to it (a comment, a question, an answer)."""
    await someone.user.send(text, reply_to=await someone.user.next_message())
    await someone.user.next_message()
    someone.wrote.append(text)


async def validate(chat: Chat, people: dict[str, Someone], report_id: int, carla: int) -> None:
    """Olga confirms with a comment, Beto asks and Ana answers, then Beto and Alma confirm."""
    ana, olga, beto, alma = (people[name] for name in ("ana", "olga", "beto", "alma"))
    async with chat.session_factory() as session, session.begin():
        await request_validation(session, await chat.secretariat(), Actor.person(carla), report_id)
    prompts = {name: await people[name].user.next_message() for name in ("olga", "alma", "beto")}
    await olga.user.press(prompts["olga"], "Confirmo")
    await reply(olga, "Estuve en la sesión con mi vecina Rosa Ortiz")
    await beto.user.press(prompts["beto"], "Necesito más información")
    await reply(beto, "¿Quién firmó el acuse? Escríbeme a beto.cruz@correo.mx")
    beto.wrote.append("beto.cruz@correo.mx")
    await reply(ana, "Lo firmó mi jefa, la licenciada Ruiz; llámame al 55 4444 3333")
    await beto.user.press(await beto.user.next_message(), "Confirmo")
    await reply(beto, "Confirmado con Beto Cruz, de la Cámara")
    await alma.user.press(prompts["alma"], "Confirmo")
    await alma.user.next_message()
    for someone in (ana, beto):
        await someone.user.next_message(timeout=15)  # the outcome


async def absence(ana: Someone) -> None:
    today = datetime.now(MEXICO_CITY).date()
    await ana.user.send("/ausente")
    await ana.user.next_message()
    await ana.user.send((today + timedelta(days=2)).strftime("%d/%m/%Y"))
    await ana.user.next_message()
    await ana.user.send((today + timedelta(days=4)).strftime("%d/%m/%Y"))
    await ana.user.next_message()
    await ana.user.next_message()


async def shown_data(someone: Someone) -> str:
    await someone.user.send("/mis_datos")
    shown = await someone.user.next_message()
    while not shown["text"].startswith("Estos son los datos"):  # what came before it
        shown = await someone.user.next_message()
    return shown["text"]


async def erase(someone: Someone) -> None:
    await someone.user.send("/borrar_mis_datos")
    await someone.user.press(await someone.user.next_message(), "Sí, borrar mis datos")
    erased = await someone.user.next_event(kinds=("edit",))
    assert "fueron borrados" in erased["message"]["text"]


async def run(chat: Chat) -> Scenario:
    """The whole scenario, through the running bot."""
    secretariat_id = await chat.secretariat()
    async with chat.session_factory() as session, session.begin():
        diego = await create_person(
            session, secretariat_id, Actor.cli(), roles={Role.STAFF},
            name="Diego Ramos Villa", email="diego.ramos@ejemplo.mx",
        )  # fmt: skip
        label = "Token de Carla Sánchez Ibarra"
        await tokens.issue_token(
            session, Actor.cli(), role=TokenRole.COORDINATOR, secretariat_id=secretariat_id,
            label=label,
        )  # fmt: skip
    people: dict[str, Someone] = {}
    async with chat.running():
        people["carla"] = await join(chat, "Carla Sánchez Ibarra", "carlasi", Role.COORDINATOR)
        people["diego"] = await join(
            chat, "Diego Ramos Villa", "diegorv", Role.STAFF, person_id=diego.id
        )
        people["diego"].email = "diego.ramos@ejemplo.mx"
        people["ana"] = await join(chat, "Ana Pérez Luna", "anaperezl", Role.STAFF)
        for key, name, username, sector, organisation in (
            ("olga", "Olga Méndez Soto", "olgams", Sector.OSC, "Colectivo Olga Méndez"),
            ("alma", "Alma Ruiz Tapia", "almart", Sector.ACADEMIA, "Instituto Alma Ruiz"),
            ("beto", "Beto Cruz Lara", "betocl", Sector.BUSINESS, "Cámara de Beto Cruz"),
        ):
            people[key] = await join(
                chat, name, username, Role.CIVIL_SOCIETY, sector=sector, organisation=organisation
            )
        ana = people["ana"]
        async with chat.session_factory() as session, session.begin():
            ana.email = "ana.perez@ejemplo.mx"
            await update_person(
                session, secretariat_id, Actor.cli(), ana.person_id, email=ana.email
            )
            plan, activity = await factories.plan_with_activity(session, secretariat_id)
            reported = await tasks.add_task(
                session, secretariat_id, Actor.cli(), activity.id, title="Acta de entrega",
                responsible_ids=[ana.person_id],
            )  # fmt: skip
            blocked = await tasks.add_task(
                session, secretariat_id, Actor.cli(), activity.id, title="Oficio al comité",
                responsible_ids=[ana.person_id],
            )  # fmt: skip
            practice_id = await practices.published_in(session, secretariat_id)
        # She hears of each task as it is assigned to her.
        assigned = [(await ana.user.next_message())["text"] for _ in range(2)]
        assert all(text.startswith("Ahora eres responsable de la tarea") for text in assigned)
        await answer_survey(chat, ana)
        await report_in_chat(chat, ana)
        async with chat.session_factory() as session, session.begin():
            person = await session.get_one(Person, ana.person_id)
            reason = "Falta la firma; mi teléfono de oficina es 33 9876 5432"
            await reports.submit_report(
                session, person, blocked.id, status="blocked", blocked_reason=reason
            )
            ana.wrote.append(reason)
            await ask_for_help(session, person, reported.id, utcnow())
            report_id = await session.scalar(
                select(ProgressReport.id).where(ProgressReport.task_id == reported.id)
            )
        await validate(chat, people, report_id, people["carla"].person_id)
        await absence(ana)
        my_data = {name: await shown_data(people[name]) for name in ("ana", "olga")}
        for name in ("ana", "beto"):
            await erase(people[name])
    return Scenario(people, ["ana", "beto"], label, plan.id, practice_id, my_data)
