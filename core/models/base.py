"""Declarative base, constraint naming and the column types every model shares."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any, ClassVar, Protocol

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    Dialect,
    Enum,
    ForeignKey,
    MetaData,
    Table,
    TypeDecorator,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, MappedColumn, declared_attr, mapped_column

# Stable constraint names keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored and returned in UTC, aware on both databases."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; timestamps must carry a time zone")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        # SQLite gives back naive values: they were written in UTC.
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def enum_column(enum_class: type[enum.Enum], **kwargs: Any) -> Enum:
    """A string enum stored by value, checked by the database, without a PostgreSQL type."""
    return Enum(
        enum_class,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
        name=enum_class.__name__.lower(),
        **kwargs,
    )


def exactly_one_of(*columns: str, name: str) -> CheckConstraint:
    """A check that exactly one of ``columns`` is set: what a row is about, among its kinds."""
    count = " + ".join(f"(CASE WHEN {column} IS NULL THEN 0 ELSE 1 END)" for column in columns)
    return CheckConstraint(f"{count} = 1", name=name)


def cascading_key(table: str, *, index: bool = False) -> MappedColumn[int]:
    """A column of the primary key holding the id of a row of ``table``: this row goes with it."""
    return mapped_column(
        ForeignKey(f"{table}.id", ondelete="CASCADE"), primary_key=True, index=index
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    # Every model here is mapped to a table (DeclarativeBase allows any selectable).
    __table__: ClassVar[Table]


class Entity(Protocol):
    """A stored entity, as the audit log and the outbox name it: by its table and id."""

    __tablename__: str

    @property
    def id(self) -> int: ...


class CreatedAt:
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, server_default=func.current_timestamp()
    )


class OwnedBySecretariat:
    """A row of one secretariat, by its own id: deleted with the secretariat."""

    # The two open the table, before the model's own columns, as the migrations made them.
    id: Mapped[int] = mapped_column(primary_key=True, sort_order=-1)
    secretariat_id: Mapped[int] = mapped_column(
        ForeignKey("secretariat.id", ondelete="CASCADE"), index=True, sort_order=-1
    )


class HeldByPlan:
    """A row a plan holds directly, by its own id: deleted with the plan."""

    # The two open the table, before the model's own columns, as the migrations made them.
    id: Mapped[int] = mapped_column(primary_key=True, sort_order=-1)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("plan.id", ondelete="CASCADE"), index=True, sort_order=-1
    )


class Versioned:
    """Optimistic locking: a change written over a row changed since it was read is refused."""

    version: Mapped[int] = mapped_column(default=1)

    @declared_attr.directive
    @classmethod
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.version}
