"""indicators measured by period, by several responsibles, corrections as revisions

Revision ID: c5e2a9d4f1b7
Revises: b8d4f0a2e3c5
Create Date: 2026-12-04 11:00:00.000000
"""

import calendar
from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from alembic import op

revision: str = "c5e2a9d4f1b7"
down_revision: str | None = "b8d4f0a2e3c5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FREQUENCIES = ("monthly", "quarterly", "semiannual", "annual")
SCALES = ("percent", "count", "amount", "number")
MONTHS_PER_PERIOD = {"monthly": 1, "quarterly": 3, "semiannual": 6, "annual": 12}


def _period_end(day: date, frequency: str) -> date:
    """The last day of the period of ``frequency`` that holds ``day``."""
    months = MONTHS_PER_PERIOD[frequency]
    month = ((day.month - 1) // months + 1) * months
    return date(day.year, month, calendar.monthrange(day.year, month)[1])


def _scale(unit: str) -> str:
    unit = unit.lower()
    return "percent" if "%" in unit or "porcentaje" in unit or "percent" in unit else "number"


def upgrade() -> None:
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("measurement_grace_days", sa.Integer(), nullable=False, server_default="10")
        )
        batch_op.add_column(
            sa.Column(
                "measurement_jump_factor",
                sa.Numeric(precision=8, scale=2),
                nullable=False,
                server_default="3",
            )
        )
        batch_op.create_check_constraint("grace", "measurement_grace_days BETWEEN 0 AND 90")
        batch_op.create_check_constraint("jump_factor", "measurement_jump_factor > 1")

    op.create_table(
        "indicator_responsible",
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicator.id"],
            name=op.f("fk_indicator_responsible_indicator_id_indicator"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_indicator_responsible_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("indicator_id", "person_id", name=op.f("pk_indicator_responsible")),
    )
    with op.batch_alter_table("indicator_responsible", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_indicator_responsible_person_id"), ["person_id"], unique=False
        )
    op.execute(
        "INSERT INTO indicator_responsible (indicator_id, person_id) "
        "SELECT id, responsible_id FROM indicator WHERE responsible_id IS NOT NULL"
    )

    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "scale",
                sa.Enum(
                    *SCALES, name="scale", native_enum=False, create_constraint=True, length=32
                ),
                nullable=False,
                server_default="number",
            )
        )
        batch_op.add_column(sa.Column("starts_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("ends_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("due_dates", sa.JSON(), nullable=True))
        batch_op.drop_constraint(
            batch_op.f("fk_indicator_responsible_id_person"), type_="foreignkey"
        )
        batch_op.drop_column("responsible_id")
        batch_op.drop_constraint(batch_op.f("ck_indicator_frequency"), type_="check")
        batch_op.create_check_constraint("frequency", f"frequency IN {(*FREQUENCIES, 'dates')!r}")

    with op.batch_alter_table("measurement", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revision", sa.Integer(), nullable=False, server_default="1"))
        batch_op.drop_constraint(
            batch_op.f("uq_measurement_indicator_id_measured_on"), type_="unique"
        )

    _measure_by_period(op.get_bind())

    with op.batch_alter_table("measurement", schema=None) as batch_op:
        batch_op.alter_column("revision", server_default=None)
        batch_op.create_unique_constraint(
            batch_op.f("uq_measurement_indicator_id_measured_on_revision"),
            ["indicator_id", "measured_on", "revision"],
        )
        batch_op.create_check_constraint("revision", "revision >= 1")
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.alter_column("scale", server_default=None)
        batch_op.alter_column("starts_on", nullable=False)
        batch_op.alter_column("ends_on", nullable=False)
        batch_op.create_check_constraint("calendar", "starts_on <= ends_on")
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.alter_column("measurement_grace_days", server_default=None)
        batch_op.alter_column("measurement_jump_factor", server_default=None)


def _measure_by_period(connection: sa.Connection) -> None:
    """Each indicator's calendar is its plan's year, widened to the values it already has; each
    value moves to the end of its period, and values of one period become its revisions."""
    indicators = connection.execute(
        sa.text(
            "SELECT indicator.id, indicator.unit, indicator.frequency, plan.year "
            "FROM indicator JOIN plan ON plan.id = indicator.plan_id"
        )
    ).all()
    for indicator_id, unit, frequency, year in indicators:
        rows = connection.execute(
            sa.text("SELECT id, measured_on FROM measurement WHERE indicator_id = :id ORDER BY id"),
            {"id": indicator_id},
        ).all()
        revisions: dict[date, int] = {}
        for measurement_id, measured_on in rows:
            day = measured_on if isinstance(measured_on, date) else date.fromisoformat(measured_on)
            end = _period_end(day, frequency)
            revisions[end] = revisions.get(end, 0) + 1
            connection.execute(
                sa.text("UPDATE measurement SET measured_on = :end, revision = :n WHERE id = :id"),
                {"end": end, "n": revisions[end], "id": measurement_id},
            )
        ends = sorted(revisions)
        starts_on = min([date(year, 1, 1), *(date(end.year, 1, 1) for end in ends[:1])])
        ends_on = max([date(year, 12, 31), *ends[-1:]])
        connection.execute(
            sa.text(
                "UPDATE indicator SET scale = :scale, starts_on = :starts, ends_on = :ends "
                "WHERE id = :id"
            ),
            {"scale": _scale(unit), "starts": starts_on, "ends": ends_on, "id": indicator_id},
        )


def downgrade() -> None:
    with op.batch_alter_table("measurement", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_measurement_revision"), type_="check")
        batch_op.drop_constraint(
            batch_op.f("uq_measurement_indicator_id_measured_on_revision"), type_="unique"
        )
    # Only the last revision of each period is kept: the old table held one value a day.
    op.execute(
        "DELETE FROM measurement WHERE revision < "
        "(SELECT MAX(later.revision) FROM measurement AS later "
        "WHERE later.indicator_id = measurement.indicator_id "
        "AND later.measured_on = measurement.measured_on)"
    )
    with op.batch_alter_table("measurement", schema=None) as batch_op:
        batch_op.drop_column("revision")
        batch_op.create_unique_constraint(
            batch_op.f("uq_measurement_indicator_id_measured_on"), ["indicator_id", "measured_on"]
        )

    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.add_column(sa.Column("responsible_id", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE indicator SET responsible_id = (SELECT MIN(person_id) FROM indicator_responsible "
        "WHERE indicator_responsible.indicator_id = indicator.id)"
    )
    op.execute("UPDATE indicator SET frequency = 'monthly' WHERE frequency = 'dates'")
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f("fk_indicator_responsible_id_person"),
            "person",
            ["responsible_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.drop_constraint(batch_op.f("ck_indicator_calendar"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_indicator_frequency"), type_="check")
        batch_op.create_check_constraint("frequency", f"frequency IN {FREQUENCIES!r}")
        batch_op.drop_constraint(batch_op.f("ck_indicator_scale"), type_="check")
        batch_op.drop_column("due_dates")
        batch_op.drop_column("ends_on")
        batch_op.drop_column("starts_on")
        batch_op.drop_column("scale")
    with op.batch_alter_table("indicator_responsible", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicator_responsible_person_id"))
    op.drop_table("indicator_responsible")

    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_plan_jump_factor"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_plan_grace"), type_="check")
        batch_op.drop_column("measurement_jump_factor")
        batch_op.drop_column("measurement_grace_days")
