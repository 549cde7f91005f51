"""What a backup must carry: a secretariat's plan, reports with evidence files (one published,
so with its cleaned copy) and the audit events they wrote; and how two deployments compare."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, inspect, select

from core.audit.actor import Actor
from core.infra import migrate
from core.infra.db import create_engine, create_session_factory
from core.models import Base
from core.reporting import evidence, publication
from tests.support import documents, factories


async def reports_with_evidence(database_url: str, evidence_dir: Path) -> None:
    """Migrate the database and fill it; the evidence files go into ``evidence_dir``."""
    engine = create_engine(database_url)
    try:
        await migrate.upgrade(engine)
        pdf = evidence.store(
            evidence_dir, documents.pdf_with_author(), max_bytes=10**7, filename="acta.pdf"
        )
        note = evidence.store(evidence_dir, b"Minuta de la sesion\n", max_bytes=10**7)
        async with create_session_factory(engine)() as session, session.begin():
            secretariat = await factories.secretariat(session)
            plan, _ = await factories.plan_with_activity(session, secretariat.id)
            ana = await factories.staff(session, secretariat.id)
            items = [factories.document(pdf), factories.document(note)]
            report = await factories.reported(
                session, secretariat.id, plan.id, ana, items, status="done"
            )
            await publication.set_public(
                session, secretariat.id, Actor.system(), report.evidence[0].id,
                public=True, folder=evidence_dir,
            )  # fmt: skip
    finally:
        await engine.dispose()


async def table_counts(database_url: str) -> dict[str, int]:
    """How many rows every table of the models holds."""
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            return {
                table.name: await connection.scalar(select(func.count()).select_from(table)) or 0
                for table in Base.metadata.sorted_tables
            }
    finally:
        await engine.dispose()


async def table_names(database_url: str) -> set[str]:
    """The tables the database has."""
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            return set(await connection.run_sync(lambda sync: inspect(sync).get_table_names()))
    finally:
        await engine.dispose()


def files_under(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by its path inside it, with its bytes."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in folder.rglob("*")
        if path.is_file()
    }
