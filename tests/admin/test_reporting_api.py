"""Reminder rules, the outbox's state, and task reports with their evidence files, over HTTP."""

from __future__ import annotations

import pytest

from core.models import Role
from core.notify import outbox
from core.people.people import create_person
from core.reporting import evidence
from core.reporting.evidence import EvidenceItem
from tests.support import factories


@pytest.fixture
def base(world):
    return f"/secretariats/{world.own}"


async def test_reminder_rules_are_created_changed_and_deleted(client, world, base):
    coordinator, viewer = world.auth("coordinator"), world.auth("viewer")
    url = f"{base}/plans/{world.own_plan}/reminder-rules"
    created = await client.post(
        url, headers=coordinator, json={"kind": "overdue", "days": 2, "escalate_after_days": 5}
    )
    assert created.status_code == 201
    rule = created.json()
    assert rule["kind"] == "overdue" and rule["version"] == 1
    assert (await client.post(url, headers=coordinator, json={"kind": "on_due"})).status_code == 201
    listed = (await client.get(url, headers=viewer)).json()
    assert [(item["kind"], item["days"]) for item in listed] == [("on_due", 0), ("overdue", 2)]

    again = await client.post(url, headers=coordinator, json={"kind": "overdue", "days": 2})
    assert again.status_code == 409
    refused = await client.post(url, headers=viewer, json={"kind": "before_due", "days": 3})
    assert refused.status_code == 403

    rule_url = f"{base}/reminder-rules/{rule['id']}"
    changed = await client.patch(rule_url, headers=coordinator, json={"version": 1, "days": 3})
    assert changed.status_code == 200 and changed.json()["days"] == 3
    stale = await client.patch(rule_url, headers=coordinator, json={"version": 1, "active": False})
    assert stale.status_code == 409
    deleted = await client.delete(rule_url, params={"version": 2}, headers=coordinator)
    assert deleted.status_code == 204
    assert (await client.get(rule_url, headers=viewer)).status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "before_due", "days": 0}, "days"),
        ({"kind": "on_due", "escalate_after_days": 3}, "escalate_after_days"),
        ({"kind": "overdue", "days": 400}, "days"),
        ({"kind": "monthly"}, "kind"),
    ],
)
async def test_bad_reminder_rules_name_the_field(client, world, base, body, field):
    response = await client.post(
        f"{base}/plans/{world.own_plan}/reminder-rules",
        headers=world.auth("coordinator"),
        json=body,
    )
    assert response.status_code == 422
    assert field in response.text


async def test_another_secretariats_plan_has_no_rules_here(client, world, base):
    response = await client.post(
        f"{base}/plans/{world.other_plan}/reminder-rules",
        headers=world.auth("coordinator"),
        json={"kind": "on_due"},
    )
    assert response.status_code == 404


async def test_the_outbox_state_by_kind_and_its_failures(client, world, base, session_factory):
    async with session_factory() as session, session.begin():
        ana = await create_person(session, world.own, "t", roles={Role.STAFF}, telegram_id=11)
        zoe = await create_person(session, world.other, "t", roles={Role.STAFF}, telegram_id=12)
        for n in range(3):
            await outbox.enqueue(session, person=ana, kind="reminder", key=f"r{n}", text="hola")
        failing = await outbox.enqueue(session, person=ana, kind="task_blocked", key="b", text="x")
        await outbox.enqueue(session, person=zoe, kind="reminder", key="z", text="hola")
    await outbox.mark_failed(session_factory, failing.id, "Forbidden: bot was blocked by the user")

    state = (await client.get(f"{base}/outbox", headers=world.auth("viewer"))).json()
    assert state["states"]["pending"] == 3 and state["states"]["failed"] == 1
    assert {(row["kind"], row["state"], row["count"]) for row in state["by_kind"]} == {
        ("reminder", "pending", 3),
        ("task_blocked", "failed", 1),
    }
    failed = (await client.get(f"{base}/outbox/failed", headers=world.auth("viewer"))).json()
    assert failed["total"] == 1
    assert failed["items"][0]["last_error"] == "Forbidden: bot was blocked by the user"


async def test_reports_list_evidence_and_files_go_to_reviewers_only(
    client, world, base, session_factory, settings
):
    photo = evidence.store(
        settings.evidence_dir, b"%PDF-1.4 acta", max_bytes=1024, filename="a.pdf"
    )
    async with session_factory() as session, session.begin():
        ana = await factories.staff(session, world.own)
        submitted = await factories.reported(
            session,
            world.own,
            world.own_plan,
            ana,
            [
                factories.document(photo, telegram_file_id="BQACAgEAAx"),
                EvidenceItem(kind="link", sha256="0" * 64, url="https://example.mx/acta"),
            ],
            status="in_progress",
            percent_done=60,
            hours=2,
        )

    listed = await client.get(
        f"{base}/tasks/{submitted.task_id}/reports", headers=world.auth("viewer")
    )
    assert listed.status_code == 200
    report = listed.json()["items"][0]
    assert (report["status"], report["percent"], report["hours"]) == ("in_progress", 60, "2.00")
    document, link = report["evidence"]
    assert document["sha256"] == photo.sha256 and link["url"] == "https://example.mx/acta"

    file_url = f"{base}/evidence/{document['id']}/file"
    downloaded = await client.get(file_url, headers=world.auth("coordinator"))
    assert downloaded.status_code == 200
    assert downloaded.content == evidence.path_of(settings.evidence_dir, photo.name).read_bytes()
    assert downloaded.headers["content-type"] == "application/pdf"
    assert (await client.get(file_url, headers=world.auth("viewer"))).status_code == 403
    no_file = await client.get(
        f"{base}/evidence/{link['id']}/file", headers=world.auth("coordinator")
    )
    assert no_file.status_code == 404
    elsewhere = f"/secretariats/{world.other}/evidence/{document['id']}/file"
    assert (await client.get(elsewhere, headers=world.auth("national_admin"))).status_code == 404
    assert (
        await client.get(
            f"{base}/evidence/{document['id']}/file", headers=world.auth("national_admin")
        )
    ).status_code == 200


async def test_a_null_leaves_a_rule_as_it_was_but_removes_the_escalation(client, world, base):
    coordinator = world.auth("coordinator")
    rule = (
        await client.post(
            f"{base}/plans/{world.own_plan}/reminder-rules",
            headers=coordinator,
            json={"kind": "overdue", "days": 2, "escalate_after_days": 5},
        )
    ).json()
    changed = await client.patch(
        f"{base}/reminder-rules/{rule['id']}",
        headers=coordinator,
        json={"version": 1, "days": None, "active": None, "escalate_after_days": None},
    )
    assert changed.status_code == 200
    assert (changed.json()["days"], changed.json()["escalate_after_days"]) == (2, None)


async def test_a_new_plan_has_the_default_reminder_rules_unless_it_is_given_its_own(
    client, world, base
):
    coordinator = world.auth("coordinator")

    async def rules_of(body: dict) -> list[tuple]:
        created = await client.post(f"{base}/plans", headers=coordinator, json=body)
        assert created.status_code == 201, created.text
        url = f"{base}/plans/{created.json()['id']}/reminder-rules"
        listed = (await client.get(url, headers=coordinator)).json()
        return [(rule["kind"], rule["days"], rule["escalate_after_days"]) for rule in listed]

    assert await rules_of({"year": 2026, "title": "Con reglas de siempre"}) == [
        ("before_due", 3, None),
        ("on_due", 0, None),
        ("overdue", 7, 14),
    ]
    own = [{"kind": "overdue", "days": 2, "escalate_after_days": 5}]
    assert await rules_of({"year": 2026, "title": "Con las suyas", "reminder_rules": own}) == [
        ("overdue", 2, 5)
    ]
    assert await rules_of({"year": 2026, "title": "Sin reglas", "reminder_rules": []}) == []
    twice = {"year": 2026, "title": "Dos veces", "reminder_rules": [{"kind": "on_due"}] * 2}
    refused = await client.post(f"{base}/plans", headers=coordinator, json=twice)
    assert refused.status_code == 409
    bad = [{"kind": "before_due", "days": 0}]
    refused = await client.post(
        f"{base}/plans", headers=coordinator, json={**twice, "reminder_rules": bad}
    )
    assert refused.status_code == 422 and "days" in refused.text
    titles = [
        plan["title"]
        for plan in (await client.get(f"{base}/plans", headers=coordinator)).json()["items"]
    ]
    assert "Dos veces" not in titles  # nothing of a refused plan is kept
