"""An interview end to end: a coordinator schedules it through the API; both people are invited;
at its start Ana, the interviewee, is asked the project interview in chat and answers it with a
voice note; Beto, the interviewer, records his notes with a voice note and a text, which nobody
else can open; the interview is linked to two solutions, and the prioritisation's ranking names
it under both."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from bot.worker import ReminderScheduler
from conversations.engine import inputs
from conversations.engine.navigation import Engine
from conversations.engine.steps import Step
from core.models import Campaign, Interview, Meeting, Notification, TokenRole, utcnow
from tests.conversations.autopilot import Autopilot
from tests.e2e.conftest import Chat, buttons
from tests.support.chat_autopilot import answer_in_chat
from tests.support.office import awake
from tests.support.prioritisation import answered

VOICE = b"OggS" + bytes(60)


class SpeaksFirst(Autopilot):
    """Answers each long answer with a voice note, then a text, then "done"."""

    def input_for(self, step: Step):
        chosen = super().input_for(step)
        if step.kind == "long_answer" and self.turn == 0:
            return inputs.FileInput("voice", "voice-0", "audio/ogg", len(VOICE))
        return chosen


async def starts_now(chat: Chat, interview_id: int) -> None:
    """The interview's start comes: what waited for it is due."""
    moment = utcnow() - timedelta(minutes=1)
    async with chat.session_factory() as session, session.begin():
        interview = await session.get_one(Interview, interview_id)
        await session.execute(
            update(Meeting).where(Meeting.id == interview.meeting_id).values(starts_at=moment)
        )
        await session.execute(
            update(Campaign).where(Campaign.id == interview.campaign_id).values(opens_at=moment)
        )
        await session.execute(
            update(Notification)
            .where(Notification.kind == "interview.notes")
            .values(scheduled_at=moment, next_attempt_at=moment)
        )
    await ReminderScheduler(chat.session_factory, chat.settings, catalog=chat.catalog).run_once()


async def test_an_interview_from_scheduling_to_the_ranking(chat, office):
    awake(chat, utcnow())
    secretariat = await chat.secretariat()
    headers = await chat.bearer(TokenRole.COORDINATOR)
    base = f"/secretariats/{secretariat}"
    ana, beto = [await chat.person(user) for user in (office.ana, office.beto)]
    assert ana is not None and beto is not None
    start = (utcnow() + timedelta(days=2)).replace(microsecond=0, tzinfo=None)
    async with chat.running(), chat.admin_api() as api:
        created = await api.post(
            f"{base}/interviews",
            headers=headers,
            json={
                "interviewee_id": ana.id,
                "interviewer_id": beto.id,
                "starts_at": start.isoformat(),
                "time_zone": "UTC",
                "duration_minutes": 60,
                "place": "Oficina de la Secretaría",
            },
        )
        assert created.status_code == 201, created.text
        interview = created.json()
        for user in (office.ana, office.beto):
            invitation = await user.next_message()
            assert "te invita a esta sesión" in invitation["caption"]
            assert invitation["document"]["file_name"].endswith(".ics")

        await starts_now(chat, interview["id"])
        asked = await office.ana.next_message()
        assert "Entrevista: análisis de proyecto" in asked["text"]
        await office.ana.press(asked, "Empezar")
        definition = chat.catalog.definitions["project_interview"]
        await answer_in_chat(office.ana, Engine(definition), pilot=SpeaksFirst())

        notes = await office.beto.next_message()
        assert "La entrevista con Ana Pérez empieza ahora" in notes["text"]
        assert buttons(notes) == ["Registrar notas"]
        chat.forge_press(office.carla, notes, f"inotes:{interview['id']}")
        refused = await office.carla.next_event(kinds=("callback_answer",))
        assert "Solo quien entrevista" in refused["answer"]["text"]
        await office.beto.press(notes, "Registrar notas")
        assert "Notas de la entrevista con Ana Pérez" in (await office.beto.next_message())["text"]
        assert "Envía tus notas" in (await office.beto.next_message())["text"]
        # Each message is taken before the next is sent: the question is shown again.
        await office.beto.upload_voice(VOICE, "notas.ogg")
        assert "Envía tus notas" in (await office.beto.next_message())["text"]
        await office.beto.send("Propone publicar las contrataciones cada semana.")
        assert "Envía tus notas" in (await office.beto.next_message())["text"]
        await office.beto.send("listo")
        assert "tus notas quedaron guardadas" in (await office.beto.next_message())["text"]

        read = (await api.get(f"{base}/interviews/{interview['id']}", headers=headers)).json()
        assert read["interviewee_state"] == "finished"
        (response,) = read["answers"]
        assert response["person_id"] == ana.id
        problem = next(item for item in response["answers"] if item["id"] == "problem")
        assert [part["kind"] for part in problem["parts"]] == ["voice", "text"]
        assert len(read["notes"]) == 2, read["notes"]
        voice, text = read["notes"]
        assert (voice["kind"], voice["person_id"]) == ("voice", beto.id)
        assert voice["mime_type"] == "audio/ogg"
        assert text["text"] == "Propone publicar las contrataciones cada semana."
        downloaded = await api.get(voice["file"], headers=headers)
        assert downloaded.status_code == 200 and downloaded.content == VOICE

        solutions = await answered(
            chat.session_factory, secretariat, "solution_prioritisation", "solutions"
        )
        linked = await api.put(
            f"{base}/interviews/{interview['id']}/solutions",
            headers=headers,
            json={"campaign_id": solutions, "choice_ids": ["open_procurement", "social_audit"]},
        )
        assert linked.status_code == 200, linked.text
        ranking = (await api.get(f"{base}/campaigns/{solutions}/ranking", headers=headers)).json()
        backed = {
            item["choice_id"] for item in ranking if item["interview_ids"] == [interview["id"]]
        }
        assert backed == {"open_procurement", "social_audit"}
