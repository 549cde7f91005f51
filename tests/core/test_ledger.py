"""The public ledger: pseudonyms, no personal data, offline verification, tampering caught."""

import hashlib
import hmac
import json

from sqlalchemy import delete, select, update

from core.audit import chain, ledger, public
from core.audit.actor import Actor
from core.models import AuditEvent, LedgerKey, Person
from core.validation.votes import cast_vote
from tests.core import validation_world
from tests.support import factories


async def validated_world(session):
    """A full validation: request, three votes (one changed), outcome; plus another plan."""
    world = await validation_world.build(session)
    request = await validation_world.request(session, world)
    async with session.begin():
        chosen = await validation_world.asked(session, request.id)
        v = world.validators
        await cast_vote(session, v["olga"], chosen["olga"].id, "dispute")
        await cast_vote(session, v["olga"], chosen["olga"].id, "confirm",
                                   comment="Estuve ahí, soy Olga")  # fmt: skip
        await cast_vote(session, v["alma"], chosen["alma"].id, "confirm")
        await cast_vote(session, v["beto"], chosen["beto"].id, "confirm")
        await factories.plan_with_activity(session, world.secretariat_id, year=2027)
    return world


async def all_lines(session, plan_id=None):
    async with session.begin():
        return [line async for line in ledger.export_lines(session, plan_id)]


async def test_a_pseudonym_is_stable_keyed_and_tells_nothing_without_the_key(session):
    async with session.begin():
        sec = await factories.secretariat(session)
        ana = await factories.staff(session, sec.id, "Ana")
        beto = await factories.staff(session, sec.id, "Beto")
        first = await ledger.pseudonym(session, ana.id)
        key = bytes.fromhex((await session.get(LedgerKey, 1)).key)
    async with session.begin():
        assert await ledger.pseudonym(session, ana.id) == first
        assert await ledger.pseudonym(session, beto.id) != first
    assert first == hmac.new(key, str(ana.id).encode(), hashlib.sha256).hexdigest()[:20]
    assert first not in hashlib.sha256(str(ana.id).encode()).hexdigest()


async def test_the_ledger_holds_votes_and_outcome_without_personal_data(session):
    world = await validated_world(session)
    async with session.begin():
        events = (await session.scalars(select(AuditEvent).order_by(AuditEvent.seq))).all()
        people = (await session.scalars(select(Person))).all()
        olga_alias = await ledger.pseudonym(session, world.validators["olga"].id)
    actions = [event.action for event in events]
    for action in ("report.create", "validation.request", "validation.assign",
                   "validation.vote", "validation.vote_change", "validation.close"):  # fmt: skip
        assert action in actions
    validation_events = [e for e in events if e.action.startswith("validation.")]
    text = json.dumps([chain.as_record(e) for e in validation_events], ensure_ascii=False)
    for person in people:
        for private in (person.name, person.email, str(person.telegram_id), person.organisation):
            if private:
                assert private.strip() not in text
        # Quoted: a pseudonym may itself begin with the digits of an id.
        assert f'"person:{person.id}"' not in text or person.id == world.coordinator.id
    assert "soy Olga" not in text
    change = next(e for e in events if e.action == "validation.vote_change")
    assert change.actor == f"validator:{olga_alias}"
    assert (change.data["validator"], change.data["sector"]) == (olga_alias, "osc")
    assert (change.data["previous"], change.data["choice"]) == ("dispute", "confirm")
    assert (
        change.data["comment_sha256"] == hashlib.sha256("Estuve ahí, soy Olga".encode()).hexdigest()
    )
    report = next(e for e in events if e.action == "report.create")
    assert [item["sha256"] for item in report.data["evidence"]] == ["a" * 64, "b" * 64, "c" * 64]
    closing = next(e for e in events if e.action == "validation.close")
    assert closing.data["outcome"] == "validated"


async def test_an_export_verifies_offline_and_an_altered_line_is_caught(session):
    await validated_world(session)
    lines = await all_lines(session)
    report = ledger.verify_lines(lines)
    assert report.ok and report.events == len(lines)
    async with session.begin():
        assert report.head == (await chain.head(session))[1]

    record = json.loads(lines[9])
    record["data"] = {**record["data"], "outcome": "validated", "extra": 1}
    altered = [*lines[:9], json.dumps(record) + "\n", *lines[10:]]
    broken = ledger.verify_lines(altered)
    assert (broken.broken_seq, broken.reason) == (10, "its content does not match its hash")

    missing = ledger.verify_lines([*lines[:4], *lines[5:]])
    assert (missing.broken_seq, missing.reason) == (5, "event 5 is missing")

    garbled = ledger.verify_lines([*lines[:3], "{not json\n", *lines[4:]])
    assert (garbled.broken_seq, garbled.reason) == (4, "line 4 is not a JSON object")


async def test_a_plan_export_keeps_the_whole_chain_with_other_plans_reduced(session):
    world = await validated_world(session)
    lines = await all_lines(session, world.plan_id)
    records = [json.loads(line) for line in lines]
    full = [r for r in records if not r.get("reduced")]
    assert full and all(r["plan_id"] == world.plan_id for r in full)
    reduced = [r for r in records if r.get("reduced")]
    assert reduced and all(set(r) == {"seq", "prev_hash", "hash", "reduced"} for r in reduced)
    assert ledger.verify_lines(lines).ok
    # A forged hash for a reduced event breaks the next link.
    at = records.index(reduced[-1])
    forged = [*lines[:at], json.dumps({**reduced[-1], "hash": "f" * 64}) + "\n", *lines[at + 1 :]]
    if at + 1 < len(lines):
        assert ledger.verify_lines(forged).broken_seq == records[at + 1]["seq"]
    # Turning a reduced event into a made-up full one is caught by its hash.
    invented = {**records[at], "occurred_at": "2026-01-01T00:00:00.000000+00:00",
                "secretariat_id": None, "plan_id": None, "actor": "system", "action": "x",
                "entity_type": "x", "entity_id": None, "data": {}}  # fmt: skip
    del invented["reduced"]
    tampered = ledger.verify_lines([*lines[:at], json.dumps(invented), *lines[at + 1 :]])
    assert tampered.broken_seq == records[at]["seq"]
    assert tampered.reason == "its content does not match its hash"
    incomplete = {key: value for key, value in invented.items() if key != "data"}
    assert ledger.verify_lines([*lines[:at], json.dumps(incomplete)]).reason == (
        "it lacks fields of an event"
    )


async def test_editing_or_deleting_any_validation_row_of_the_ledger_is_caught(session):
    await validated_world(session)
    async with session.begin():
        seqs = (
            await session.scalars(
                select(AuditEvent.seq)
                .where(AuditEvent.action.like("validation.%"))
                .order_by(AuditEvent.seq)
            )
        ).all()
    for seq in seqs:
        async with session.begin():
            original = await session.scalar(select(AuditEvent.data).where(AuditEvent.seq == seq))
            await session.execute(
                update(AuditEvent).where(AuditEvent.seq == seq).values(data={"edited": True})
            )
        async with session.begin():
            assert (await chain.verify(session)).broken_seq == seq
            await session.execute(
                update(AuditEvent).where(AuditEvent.seq == seq).values(data=original)
            )
    async with session.begin():
        assert (await chain.verify(session)).ok
        await session.execute(delete(AuditEvent).where(AuditEvent.seq == seqs[-1]))
    async with session.begin():
        report = await chain.verify(session)
    assert not report.ok


async def test_people_appear_by_pseudonym_and_their_events_verify_as_published(session):
    world = await validated_world(session)
    lines = await all_lines(session)
    text = "".join(lines)
    reporter = world.reporter
    async with session.begin():
        secret = await public.key(session)
        stored = (await session.scalars(select(AuditEvent).order_by(AuditEvent.seq))).all()
    assert any(event.actor == f"person:{reporter.id}" for event in stored)
    assert f'"person:{reporter.id}"' not in text  # quoted: a pseudonym may begin with its digits
    assert f'"person:{public.person_pseudonym(secret, reporter.id)}"' in text
    # Nothing reduced, every record verifies as it stands, and the database's chain too.
    assert '"reduced"' not in text
    assert ledger.verify_lines(lines).ok
    async with session.begin():
        assert (await chain.verify(session)).ok
    # A person's pseudonym is not their validator alias: their votes stay apart.
    olga = world.validators["olga"]
    async with session.begin():
        assert public.person_pseudonym(secret, olga.id) != await ledger.pseudonym(session, olga.id)


async def test_an_event_written_with_a_telegram_id_is_reduced_and_the_chain_verifies(session):
    async with session.begin():
        sec = await factories.secretariat(session)
        # As joining wrote it before: hashed over the Telegram id itself.
        event = await chain.record(
            session, actor=Actor.system(), action="person.create", entity_type="person",
            entity_id=1, secretariat_id=sec.id, data={"roles": ["staff"]},
        )  # fmt: skip
        event.actor = "telegram:4242"
        event.hash = chain.digest(event.prev_hash, chain.as_record(event))
        await factories.plan_with_activity(session, sec.id)
    async with session.begin():
        assert (await chain.verify(session)).ok
    lines = await all_lines(session)
    assert "telegram" not in "".join(lines)
    legacy = json.loads(lines[1])
    assert legacy == {"seq": 2, "prev_hash": legacy["prev_hash"], "hash": event.hash,
                      "reduced": True}  # fmt: skip
    assert ledger.verify_lines(lines).ok
