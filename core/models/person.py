"""People known to the system, their roles and their consent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.models.base import (
    Base,
    CreatedAt,
    OwnedBySecretariat,
    UTCDateTime,
    cascading_key,
    enum_column,
)
from core.people.roles import Role, Sector


class Person(CreatedAt, OwnedBySecretariat, Base):
    __tablename__ = "person"
    __table_args__ = (
        CheckConstraint("language IN ('es', 'en')", name="language"),
        UniqueConstraint("secretariat_id", "email"),
    )

    name: Mapped[str | None] = mapped_column(String(200))
    telegram_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    telegram_username: Mapped[str | None] = mapped_column(String(64))
    email: Mapped[str | None] = mapped_column(String(254))
    sector: Mapped[Sector | None] = mapped_column(enum_column(Sector))
    organisation: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(2), default="es")
    time_zone: Mapped[str] = mapped_column(String(64), default="America/Mexico_City")
    consent_version: Mapped[str | None] = mapped_column(String(32))
    consented_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reachable: Mapped[bool] = mapped_column(default=True)
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A fingerprint of the command menu last set for their chat (bot.menu).
    command_menu: Mapped[str | None] = mapped_column(String(32))
    # The button whose text their next message gives, and until when (core.chat.expected_text).
    expected_text: Mapped[str | None] = mapped_column(String(64))
    expected_until: Mapped[datetime | None] = mapped_column(UTCDateTime)

    role_links: Mapped[list[PersonRole]] = relationship(
        back_populates="person", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def roles(self) -> set[Role]:
        return {link.role for link in self.role_links}

    @property
    def has_telegram(self) -> bool:
        """Whether the person joined through Telegram."""
        return self.telegram_id is not None

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def display_name(self) -> str:
        return self.name or (
            f"@{self.telegram_username}" if self.telegram_username else f"#{self.id}"
        )


class PersonRole(Base):
    __tablename__ = "person_role"

    person_id: Mapped[int] = cascading_key("person")
    role: Mapped[Role] = mapped_column(enum_column(Role), primary_key=True)

    person: Mapped[Person] = relationship(back_populates="role_links")
