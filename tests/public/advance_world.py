"""An advance with every kind of evidence, put before three validators who answered, served
over HTTP: the data of the advance page's tests, built through the services."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import httpx
import pytest
from PIL import Image

from admin.app import create_app
from core.audit.actor import Actor
from core.infra.settings import Settings
from core.models import EvidenceKind, Role, Sector, TokenRole
from core.people.people import create_person
from core.plans import tasks
from core.reporting import evidence, reports
from core.reporting.evidence import EvidenceItem
from core.validation import votes
from core.validation.requests import request_validation
from tests.admin.conftest import issue
from tests.admin.server import serving
from tests.support import documents, factories

PDF = documents.blank_pdf()  # a PDF that opens: one that does not is never published
GPS_IFD = 0x8825
PUBLISHED_COMMENT = "Estuve en la sesión y vi el acta firmada."
PRIVATE_COMMENT = "Comentario que su autora no quiso publicar."
# name, sector, Telegram id, email
VALIDATORS = [
    ("Olga Treviño Salas", Sector.OSC, 987_654_301, "olga@osc.example.mx"),
    ("Alma Zúñiga Prieto", Sector.ACADEMIA, 987_654_302, "alma@uni.example.mx"),
    ("Beto Quiroz Lara", Sector.BUSINESS, 987_654_303, "beto@cce.example.mx"),
]
REPORTER = ("Ana Beltrán Ochoa", 987_654_300, "ana@sesea.example.mx")


def jpeg_with_location() -> bytes:
    """A photo as a phone takes it: its camera and where it was taken in its EXIF."""
    image = Image.new("RGB", (64, 48), (180, 40, 40))
    exif = image.getexif()
    exif[0x010F] = "Telefono de Ana"  # Make
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (21.0, 52.0, 48.0), 3: "W", 4: (102.0, 17.0, 46.0)})
    output = io.BytesIO()
    image.save(output, "JPEG", exif=exif)
    data = output.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)
    return data


@dataclass
class AdvanceWorld:
    base: str
    http: httpx.AsyncClient
    secretariat_id: int
    report_id: int
    task_code: str
    evidence: dict[str, int]  # kind → id
    coordinator: dict[str, str]
    other_coordinator: dict[str, str]
    identifiers: list[str] = field(default_factory=list)  # of people: never on a page

    def publish(self, kind: str, public: bool = True, headers: dict[str, str] | None = None):
        path = f"/secretariats/{self.secretariat_id}/evidence/{self.evidence[kind]}/public"
        return self.http.put(path, json={"public": public}, headers=headers or self.coordinator)

    def evidence_url(self, kind: str) -> str:
        return f"/avances/{self.report_id}/evidencias/{self.evidence[kind]}"


async def _evidence(folder) -> list[EvidenceItem]:
    # Kept as sent (stored files are cleaned already when they arrive): the public copy must
    # be cleaned on its own account.
    photo = evidence.store(
        folder, jpeg_with_location(), max_bytes=10**6, filename="foto.jpg", for_publication=False
    )
    document = evidence.store(folder, PDF, max_bytes=10**6, filename="acta.pdf")
    return [
        EvidenceItem(
            EvidenceKind.PHOTO,
            photo.sha256,
            "AgAD-photo",
            photo.name,
            photo.size,
            photo.mime_type,
            "La sesión del comité",
        ),
        EvidenceItem(
            EvidenceKind.DOCUMENT,
            document.sha256,
            "AgAD-doc",
            document.name,
            document.size,
            document.mime_type,
        ),
        EvidenceItem(EvidenceKind.LINK, "1" * 64, url="https://sesea.example.mx/acta"),
        EvidenceItem(EvidenceKind.TEXT, "2" * 64, caption="Texto interno de la secretaría"),
        EvidenceItem(EvidenceKind.VOICE, "3" * 64, telegram_file_id="AgAD-voice"),
    ]


async def build(session_factory, settings: Settings) -> dict:
    """The secretariat, Ana's report with its evidence, three validators' answers."""
    async with session_factory() as session, session.begin():
        own = await factories.secretariat(session, "sesea-avance")
        other = await factories.secretariat(session, "sesea-otra")
        _plan, activity = await factories.plan_with_activity(session, own.id)
        name, telegram_id, email = REPORTER
        ana = await create_person(
            session,
            own.id,
            "t",
            roles={Role.STAFF},
            name=name,
            telegram_id=telegram_id,
            email=email,
            telegram_username="ana_sesea",
        )
        people = [
            await create_person(
                session,
                own.id,
                "t",
                roles={Role.CIVIL_SOCIETY},
                name=name,
                sector=sector,
                telegram_id=telegram_id,
                email=email,
            )
            for name, sector, telegram_id, email in VALIDATORS
        ]
        task = await tasks.add_task(
            session, own.id, "t", activity.id, title="Instalar el comité", responsible_ids=[ana.id]
        )
        report = await reports.submit_report(
            session,
            ana,
            task.id,
            status="done",
            note="Se instaló el comité con siete integrantes.",
            evidence=await _evidence(settings.evidence_dir),
        )
        request = await request_validation(session, own.id, Actor.system(), report.id)
        by_person = {assignment.person_id: assignment.id for assignment in request.assignments}
        olga, alma, beto = people
        await votes.cast_vote(
            session, olga, by_person[olga.id], "confirm", comment=PUBLISHED_COMMENT
        )
        await votes.consent_to_publish(session, olga, by_person[olga.id], publish=True)
        await votes.cast_vote(session, alma, by_person[alma.id], "dispute", comment=PRIVATE_COMMENT)
        await votes.cast_vote(session, beto, by_person[beto.id], "confirm")
        return {
            "secretariat_id": own.id,
            "report_id": report.id,
            "task_code": task.code,
            "evidence": {item.kind.value: item.id for item in report.evidence},
            "coordinator": await issue(session, TokenRole.COORDINATOR, own.id),
            "other_coordinator": await issue(session, TokenRole.COORDINATOR, other.id),
            "identifiers": [
                *(value for name, _sector, _id, email in VALIDATORS for value in (name, email)),
                *(str(telegram_id) for _name, _sector, telegram_id, _email in VALIDATORS),
                *map(str, REPORTER),
                "ana_sesea",
            ],
        }


@pytest.fixture
async def world(db_url, session_factory, tmp_path) -> AsyncIterator[AdvanceWorld]:
    settings = Settings(data_dir=tmp_path, database_url=db_url)
    built = await build(session_factory, settings)
    with serving(create_app(settings)) as base:
        async with httpx.AsyncClient(base_url=base, timeout=60) as http:
            yield AdvanceWorld(base, http, **built)
