"""Migrations build exactly the models' schema from nothing, and undo it."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from core.infra import migrate
from core.infra.db import create_engine
from core.models import Base
from core.models.practice import outside_the_models


def _compared(name, kind, parent_names):
    # The search's own tables and index are made by statements, not declared as models.
    return not outside_the_models(name, kind)


async def test_upgrade_from_empty_matches_the_models_and_downgrades(empty_db_url):
    engine = create_engine(empty_db_url)
    try:
        await migrate.upgrade(engine)
        assert await migrate.current_revision(engine) is not None
        async with engine.connect() as connection:
            differences = await connection.run_sync(
                lambda sync: compare_metadata(
                    MigrationContext.configure(sync, opts={"include_name": _compared}),
                    Base.metadata,
                )
            )
            tables = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
        assert differences == []
        assert set(Base.metadata.tables) <= tables
        await migrate.downgrade(engine)
        async with engine.connect() as connection:
            tables = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
        assert tables <= {"alembic_version"}
    finally:
        await engine.dispose()
