"""A secretariat's good practices through the admin API: written as drafts, submitted,
validated, published and withdrawn, every change in the audit chain, and every refusal."""

from __future__ import annotations

from sqlalchemy import select

from core.models import AuditEvent, Evidence, EvidenceKind, Frequency, ProgressReport, TaskStatus
from core.plans import indicators, tasks
from tests.support import factories
from tests.support.factories import ACTOR
from tests.support.practices import COMPLETE, confirm, coordinator_of, validators_in, write


async def test_a_practice_goes_from_draft_to_published_and_is_withdrawn_in_the_audit_chain(
    client, world, session_factory
):
    headers = world.auth("coordinator")
    base = f"/secretariats/{world.own}/practices"
    draft = await write(client, world.own, headers, results=None)
    assert draft["state"] == "draft" and draft["version"] == 1
    assert draft["secretariat_state"] == "Aguascalientes"
    item = f"{base}/{draft['id']}"
    incomplete = await client.post(
        f"{item}/submit", headers={**headers, "Accept-Language": "es"}, json={"version": 1}
    )
    assert incomplete.status_code == 422
    assert "results" in incomplete.json()["detail"]
    edited = await client.patch(item, headers=headers, json={"version": 1, "results": "80 %"})
    assert edited.status_code == 200, edited.text
    async with session_factory() as session, session.begin():
        await validators_in(session, world.own)
    submitted = await client.post(f"{item}/submit", headers=headers, json={"version": 2})
    assert submitted.json()["state"] == "submitted", submitted.text
    async with session_factory() as session, session.begin():
        await confirm(session, draft["id"])
    published = await client.post(f"{item}/publish", headers=headers, json={"version": 4})
    assert published.json()["state"] == "published", published.text
    assert published.json()["published_at"] is not None
    withdrawn = await client.post(f"{item}/withdraw", headers=headers, json={"version": 5})
    assert withdrawn.json()["state"] == "withdrawn", withdrawn.text
    async with session_factory() as session:
        actions = list(
            await session.scalars(
                select(AuditEvent.action)
                .where(AuditEvent.entity_type == "practice")
                .order_by(AuditEvent.seq)
            )
        )
    assert actions == [
        "practice.create",
        "practice.update",
        "practice.submitted",
        "practice.validated",
        "practice.published",
        "practice.withdrawn",
    ]


async def test_a_submitted_practice_is_not_edited_nor_published_before_it_is_validated(
    client, world, session_factory
):
    headers = {**world.auth("coordinator"), "Accept-Language": "es"}
    practice = await write(client, world.own, headers)
    item = f"/secretariats/{world.own}/practices/{practice['id']}"
    early = await client.post(f"{item}/publish", headers=headers, json={"version": 1})
    assert early.status_code == 422
    assert "validado" in early.json()["detail"]
    assert (
        await client.post(f"{item}/withdraw", headers=headers, json={"version": 1})
    ).status_code == 422
    async with session_factory() as session, session.begin():
        await validators_in(session, world.own)
    await client.post(f"{item}/submit", headers=headers, json={"version": 1})
    edit = await client.patch(item, headers=headers, json={"version": 2, "title": "Otro"})
    assert edit.status_code == 422
    assert "borrador" in edit.json()["detail"]
    again = await client.post(f"{item}/submit", headers=headers, json={"version": 2})
    assert again.status_code == 422
    publish = await client.post(f"{item}/publish", headers=headers, json={"version": 2})
    assert publish.status_code == 422
    stale = await client.post(f"{item}/withdraw", headers=headers, json={"version": 1})
    assert stale.status_code == 409


async def test_another_secretariats_practice_is_not_found_and_a_viewer_writes_none(
    client, world, session_factory
):
    own = await write(client, world.own, world.auth("coordinator"))
    other_headers = await coordinator_of(session_factory, world.other)
    other_item = f"/secretariats/{world.other}/practices/{own['id']}"
    assert (await client.get(other_item, headers=other_headers)).status_code == 404
    patch = await client.patch(other_item, headers=other_headers, json={"version": 1, "title": "X"})
    assert patch.status_code == 404
    foreign = f"/secretariats/{world.other}/practices"
    assert (await client.get(foreign, headers=world.auth("coordinator"))).status_code == 404
    viewer = await client.post(
        f"/secretariats/{world.own}/practices", headers=world.auth("viewer"), json=COMPLETE
    )
    assert viewer.status_code == 403
    listed = await client.get(
        f"/secretariats/{world.own}/practices",
        headers=world.auth("viewer"),
        params={"state": "draft"},
    )
    assert [entry["id"] for entry in listed.json()["items"]] == [own["id"]]


async def test_bad_values_are_refused_with_a_problem_not_an_error(client, world):
    headers = world.auth("coordinator")
    base = f"/secretariats/{world.own}/practices"
    for body in (
        {**COMPLETE, "pna_priority": 41},
        {**COMPLETE, "theme": "astrology"},
        {**COMPLETE, "title": ""},
        {**COMPLETE, "contact_role": "x" * 201},
        {**COMPLETE, "pea_priority": "P99"},
        {**COMPLETE, "indicator_ids": [999]},
        {**COMPLETE, "results": "a\x00b"},
    ):
        refused = await client.post(base, headers=headers, json=body)
        assert refused.status_code in (404, 422), (body, refused.text)
        assert refused.headers["content-type"].startswith("application/problem+json")


async def test_results_link_the_secretariats_indicators_and_only_its_public_evidence(
    client, world, session_factory
):
    async with session_factory() as session, session.begin():
        indicator = await indicators.create_indicator(
            session, world.own, ACTOR, world.own_plan,
            name="Licitaciones con testigo", unit="%", frequency=Frequency.QUARTERLY,
        )  # fmt: skip
        foreign = await indicators.create_indicator(
            session, world.other, ACTOR, world.other_plan,
            name="Otro", unit="%", frequency=Frequency.QUARTERLY,
        )  # fmt: skip
        public, private = await _evidence(session, world)
    headers = world.auth("coordinator")
    base = f"/secretariats/{world.own}/practices"
    linked = await write(
        client, world.own, headers, indicator_ids=[indicator.id], evidence_ids=[public]
    )
    assert linked["indicator_ids"] == [indicator.id]
    assert linked["evidence_ids"] == [public]
    hidden = await client.post(base, headers=headers, json={**COMPLETE, "evidence_ids": [private]})
    assert hidden.status_code == 422
    other = await client.post(
        base, headers=headers, json={**COMPLETE, "indicator_ids": [foreign.id]}
    )
    assert other.status_code == 404
    item = f"{base}/{linked['id']}"
    unlinked = await client.patch(item, headers=headers, json={"version": 1, "evidence_ids": []})
    assert unlinked.json()["evidence_ids"] == [] and unlinked.json()["version"] == 2


async def _evidence(session, world) -> tuple[int, int]:
    """Two pieces of evidence of the secretariat's plan: one public, one not."""
    _, activity = await factories.plan_with_activity(session, world.own, year=2027)
    task = await tasks.add_task(session, world.own, ACTOR, activity.id, title="Licitar")
    report = ProgressReport(task_id=task.id, status=TaskStatus.DONE, percent=100)
    session.add(report)
    await session.flush()
    pieces = [
        Evidence(report_id=report.id, kind=EvidenceKind.TEXT, sha256="0" * 64, public=shown)
        for shown in (True, False)
    ]
    session.add_all(pieces)
    await session.flush()
    return pieces[0].id, pieces[1].id


async def test_submitting_asks_civil_society_and_is_refused_when_nobody_can_be_asked(
    client, world, session_factory
):
    headers = {**world.auth("coordinator"), "Accept-Language": "es"}
    practice = await write(client, world.own, headers)
    item = f"/secretariats/{world.own}/practices/{practice['id']}"
    nobody = await client.post(f"{item}/submit", headers=headers, json={"version": 1})
    assert nobody.status_code == 409, nobody.text
    assert "ninguna integrante de la sociedad civil" in nobody.json()["detail"]
    kept = await client.get(item, headers=headers)
    assert kept.json()["state"] == "draft"  # nothing half-saved
    async with session_factory() as session, session.begin():
        await validators_in(session, world.own)
    submitted = await client.post(f"{item}/submit", headers=headers, json={"version": 1})
    assert submitted.status_code == 200, submitted.text
    listed = await client.get(f"/secretariats/{world.own}/validations", headers=headers)
    [request] = [row for row in listed.json()["items"] if row["practice_id"] == practice["id"]]
    assert request["report_id"] is None and request["plan_id"] is None
    assert request["task_id"] is None and request["state"] == "open"
    assert len(request["votes"]) == 2 and {vote["sector"] for vote in request["votes"]} == {
        "osc",
        "academia",
    }
