"""What the public sees of an audit event: every reference to a person as a keyed pseudonym.

A pseudonym is the HMAC-SHA256 of a person id under a random key made once per deployment and
kept in the database: the same person always gets the same one, and nobody without the key can
tell who is behind it. The chain hashes each event in this public form, so the published ledger
verifies as it stands, and no identifier can be recovered from a hash by trying ids one by one.
The database keeps the person ids, for the admin API's audit log.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import LedgerKey

PSEUDONYM_LENGTH = 20  # hex digits: 80 bits, no collision among any realistic pool
# Data keys whose values are person ids (alone or in lists), at any depth (before/after).
PERSON_KEYS = frozenset({"person_id", "person_ids", "responsible_ids"})
PERSON_ENTITY = "person"
# Actors that name a person: ``telegram`` only in events written before people were named by
# their id when joining.
PERSON_ACTORS = frozenset({"person", "telegram"})


async def key(session: AsyncSession) -> bytes:
    """The deployment's pseudonym key, made on first use."""
    found = await session.get(LedgerKey, 1)
    if found is None:
        try:
            async with session.begin_nested():
                found = LedgerKey(id=1, key=secrets.token_hex(32))
                session.add(found)
        except IntegrityError:
            # Another transaction made the key first: that one is the deployment's key.
            found = await session.get_one(LedgerKey, 1, populate_existing=True)
    return bytes.fromhex(found.key)


def keyed(secret: bytes, value: str) -> str:
    """The pseudonym of ``value`` under the deployment's key."""
    return hmac.new(secret, value.encode(), hashlib.sha256).hexdigest()[:PSEUDONYM_LENGTH]


def person_pseudonym(secret: bytes, person_id: int | str) -> str:
    # Apart from the person's validator alias (the bare id's), so votes stay unlinked from
    # joining, reports and erasure.
    return keyed(secret, f"person:{person_id}")


def public_form(record: dict[str, Any], secret: bytes) -> dict[str, Any]:
    """The record with its person references pseudonymised; the record itself if it has none."""
    shown = {
        **record,
        "actor": _actor(record["actor"], secret),
        "entity_id": (
            _person(record["entity_id"], secret)
            if record["entity_type"] == PERSON_ENTITY
            else record["entity_id"]
        ),
        "data": _data(record["data"], secret),
    }
    return record if shown == record else shown


def _actor(actor: str, secret: bytes) -> str:
    kind, _, ref = actor.partition(":")
    if kind not in PERSON_ACTORS or not ref:
        return actor
    # A Telegram id is no person id: such an event can only be reduced (see the ledger).
    return f"person:{person_pseudonym(secret, ref)}" if kind == "person" else kind


def _person(value: Any, secret: bytes) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return person_pseudonym(secret, value)
    if isinstance(value, list):
        return [_person(item, secret) for item in value]
    return value


def _data(value: Any, secret: bytes) -> Any:
    if isinstance(value, dict):
        return {
            name: _person(item, secret) if name in PERSON_KEYS else _data(item, secret)
            for name, item in value.items()
        }
    if isinstance(value, list):
        return [_data(item, secret) for item in value]
    return value
