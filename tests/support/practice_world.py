"""Good practices the public pages show, made through the services: Aguascalientes publishes
two (the first backed by an indicator and public evidence, adopted by Zacatecas as a line of
action and by Ciudad de México as an activity, each with progress of its own) and keeps a
draft, a submitted one and a withdrawn one that no public page may show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from core.models import EvidenceKind, ValidationRequest, ValidationState
from core.plans import indicators, measurements, structure, tasks
from core.policy import pea
from core.practices import adoption
from core.reporting import evidence, publication, reports
from core.reporting.evidence import EvidenceItem
from tests.public.advance_world import PDF
from tests.support import factories
from tests.support.practices import moved_in, published_in

ACTOR = factories.ACTOR
HIDDEN = ("Borrador reservado", "Propuesta en revisión", "Práctica retirada")
PRIVATE_LINK = "https://sesea.example.mx/interno"


@dataclass
class PracticeWorld:
    own_slug: str
    testigos: int  # published, backed, adopted twice
    obra: int  # published, adopted by nobody
    hidden: list[int]  # draft, submitted, withdrawn
    indicator: int
    public_evidence: list[int]
    private_evidence: int
    zac_plan: int
    cdmx_plan: int


async def _evidence(session, secretariat_id: int, activity_id: int, folder: Path):
    """A report with a document, a link and a text made public and a link kept private."""
    person = await factories.staff(session, secretariat_id)
    task = await tasks.add_task(
        session, secretariat_id, ACTOR, activity_id, title="Acta", responsible_ids=[person.id]
    )
    document = evidence.store(folder, PDF, max_bytes=10**6, filename="acta.pdf")
    report = await reports.submit_report(
        session, person, task.id, status="done",
        evidence=[
            EvidenceItem(
                EvidenceKind.DOCUMENT, document.sha256, "AgAD-doc", document.name,
                document.size, document.mime_type, "Lineamientos de testigos sociales",
            ),
            EvidenceItem(EvidenceKind.LINK, "1" * 64, url="https://sesea.example.mx/testigos"),
            EvidenceItem(EvidenceKind.TEXT, "2" * 64, caption="Padrón de testigos acreditados"),
            EvidenceItem(EvidenceKind.LINK, "3" * 64, url=PRIVATE_LINK),
        ],
    )  # fmt: skip
    ids = [item.id for item in report.evidence]
    for item in ids:
        await publication.set_public(
            session, secretariat_id, ACTOR, item, public=True, folder=folder
        )
    return ids[:3], ids[3]


async def _validated(session, secretariat_id: int, plan_id: int, activity_id: int, percent: int):
    """A task of the activity reported at ``percent``, which civil society validated."""
    person = await factories.staff(session, secretariat_id, name="Reportera")
    task = await tasks.add_task(
        session, secretariat_id, ACTOR, activity_id, title="Piloto", estimated_hours=8,
        responsible_ids=[person.id],
    )  # fmt: skip
    report = await reports.submit_report(
        session, person, task.id, status="in_progress", percent_done=percent
    )
    now = datetime.now(UTC)
    session.add(
        ValidationRequest(
            secretariat_id=secretariat_id, plan_id=plan_id, report_id=report.id,
            state=ValidationState.VALIDATED, requested_by="system", validators_wanted=3,
            min_confirmations=2, min_sectors=2, disputes_at_most_confirmations=True,
            reply_days=5, remind_days_before=2, deadline=now, closed_at=now,
        )
    )  # fmt: skip
    await session.flush()


async def build(session_factory, folder: Path) -> PracticeWorld:
    async with session_factory() as session, session.begin():
        ags = await factories.secretariat(session, "sesea-ags")
        zac = await factories.secretariat(session, "sesea-zac")
        cdmx = await factories.secretariat(session, "sesea-cdmx")
        await pea.add_pea_priority(
            session, ags.id, ACTOR, code="P3", title="Contrataciones abiertas", pna_priorities=[22]
        )
        plan, activity = await factories.plan_with_activity(session, ags.id)
        indicator = await indicators.create_indicator(
            session, ags.id, ACTOR, plan.id, name="Licitaciones con testigo social",
            unit="porcentaje", frequency="quarterly", baseline=10, goal=90,
        )  # fmt: skip
        for day, value in ((date(2026, 3, 31), 45), (date(2026, 6, 30), 80)):
            await measurements.record_measurement(
                session, ags.id, ACTOR, indicator.id, period=day, value=value
            )
        public, private = await _evidence(session, ags.id, activity.id, folder)
        testigos = await published_in(
            session, ags.id, pea_priority="P3", indicator_ids=[indicator.id],
            evidence_ids=[*public, private],
        )  # fmt: skip
        # Made private after it was linked: the page no longer shows it.
        await publication.set_public(session, ags.id, ACTOR, private, public=False, folder=folder)
        obra = await published_in(
            session, ags.id, title="Datos abiertos de obra pública", pna_priority=31,
            theme="open_data", problem="Nadie podía seguir el avance de las obras.",
            actions="Se publicó cada obra con su avance físico y financiero.",
            results="Treinta obras revisadas por la ciudadanía.",
        )  # fmt: skip
        hidden = [
            await moved_in(session, ags.id, steps, title=title)
            for steps, title in zip((0, 1, 4), HIDDEN, strict=True)
        ]
        zac_plan, _ = await factories.plan_with_activity(session, zac.id)
        line = await adoption.adopt(
            session, zac.id, ACTOR, testigos, plan_id=zac_plan.id, language="es"
        )
        made = await structure.add_activity(
            session, zac.id, ACTOR, line.objective_id, title="Acreditar testigos"
        )
        for title, status in (("Convocar", "done"), ("Acreditar", "pending")):
            task = await tasks.add_task(
                session, zac.id, ACTOR, made.id, title=title, estimated_hours=8
            )
            await tasks.update_task(session, zac.id, ACTOR, task.id, status=status)
        cdmx_plan, cdmx_activity = await factories.plan_with_activity(session, cdmx.id)
        under = await adoption.adopt(
            session, cdmx.id, ACTOR, testigos, plan_id=cdmx_plan.id,
            objective_id=cdmx_activity.objective_id, language="es",
        )  # fmt: skip
        assert under.activity_id is not None
        await _validated(session, cdmx.id, cdmx_plan.id, under.activity_id, 60)
    return PracticeWorld(
        ags.slug, testigos, obra, hidden, indicator.id, public, private, zac_plan.id,
        cdmx_plan.id,
    )  # fmt: skip
