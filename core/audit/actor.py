"""Who did something, as the audit log and the records that keep an author name them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    """An author: ``kind``, or ``kind:ref`` when it names one of its kind (``person:12``)."""

    kind: str
    ref: str | None = None

    def __str__(self) -> str:
        return self.kind if self.ref is None else f"{self.kind}:{self.ref}"

    @classmethod
    def person(cls, person_id: int) -> Actor:
        """A registered person, acting through the bot."""
        return cls("person", str(person_id))

    @classmethod
    def token(cls, token_id: int) -> Actor:
        """Whoever holds an API token, acting through the admin API."""
        return cls("token", str(token_id))

    @classmethod
    def validator(cls, alias: str) -> Actor:
        """A civil-society validator, named by their pseudonymous alias only."""
        return cls("validator", alias)

    @classmethod
    def system(cls, task: str | None = None) -> Actor:
        """The system itself, or one of its named tasks (``system:seed-demo``)."""
        return cls("system", task)

    @classmethod
    def cli(cls) -> Actor:
        """An operator at the command line."""
        return cls("cli")
