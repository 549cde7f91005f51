"""The permission matrix: every operation × every role × own and other secretariat.

Writes are sent with a body that is not an object (or without the version a deletion needs):
a caller who may not act is stopped first (403, or 404 for another secretariat), one who may
reaches the validation of the request (422), so nothing changes while every guard is exercised.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest

from admin.app import create_app
from core.audit.actor import Actor
from core.chat import campaigns, stored_definitions
from core.chat.definitions import DefinitionCatalog
from core.meetings import interviews, meetings
from core.models import (
    Campaign,
    Evidence,
    EvidenceKind,
    InterviewNote,
    Minutes,
    ProgressReport,
    ResponseSession,
    ResponseStatus,
    Role,
    Sector,
    StoredDefinition,
    TaskStatus,
    TokenRole,
    utcnow,
)
from core.notify import reminder_rules
from core.people import invitations, join_requests, people, tokens
from core.plans import dependencies, indicators, structure, tasks
from core.policy import pea
from core.reporting import evidence, help_requests
from tests.support import practices as practice_support

ROLES = [role.value for role in TokenRole]
EVERYONE = set(ROLES)
EDITORS = {"national_admin", "secretariat_admin", "coordinator"}
MANAGERS = {"national_admin", "secretariat_admin"}
UNSCOPED = {
    "/health", "/me", "/audit/verify", "/audit/head", "/plan-template.xlsx", "/campaigns.html"
}  # fmt: skip
PUBLIC = {
    "/health", "/plan-template.xlsx", "/public/ledger", "/public/ledger/head", "/signin",
    "/signout",
}  # fmt: skip


def allowed_roles(method: str, path: str) -> set[str]:
    if method == "POST" and path == "/secretariats":
        return {"national_admin"}
    if path.startswith("/tokens"):
        return MANAGERS
    if path.endswith("/template"):
        return {"national_admin"}
    if path.endswith(("/file", "/participation")):
        return EDITORS  # evidence files to those who review them; who has not answered, too
    if method == "GET":
        return EVERYONE
    if re.search(r"/(people|invitations)", path) or path == "/secretariats/{secretariat_id}":
        return MANAGERS
    return EDITORS


JOIN_FORM = join_requests.JoinForm("Lía", Sector.OSC, None, "lia@example.org")


async def _objects(
    session, secretariat_id: int, plan_id: int, evidence_dir, definition: str
) -> dict[str, int | str]:
    actor = "test"
    person = await people.create_person(session, secretariat_id, actor, roles={Role.STAFF})
    registered = [
        await people.create_person(
            session, secretariat_id, actor, roles={Role.STAFF}, telegram_id=700_000 + n
        )
        for n in (secretariat_id, 100 + secretariat_id)
    ]
    meeting = await meetings.create_meeting(
        session,
        secretariat_id,
        Actor.system(),
        meetings.Details(
            "workshop",
            "Taller",
            utcnow() + timedelta(days=3),
            "America/Mexico_City",
            60,
            place="Sala",
        ),
        catalog=DefinitionCatalog("test"),
        national=False,
        now=utcnow(),
        quiet=None,
    )
    invitation = await invitations.create_invitation(
        session, secretariat_id, actor, role=Role.STAFF
    )
    objective = await structure.add_objective(session, secretariat_id, actor, plan_id, title="O2")
    activity = await structure.add_activity(session, secretariat_id, actor, objective.id, title="A")
    first = await tasks.add_task(session, secretariat_id, actor, activity.id, title="T1")
    second = await tasks.add_task(session, secretariat_id, actor, activity.id, title="T2")
    dependency = await dependencies.add_dependency(
        session, secretariat_id, actor, predecessor_id=first.id, successor_id=second.id
    )
    indicator = await indicators.create_indicator(
        session, secretariat_id, actor, plan_id, name="I", unit="u", frequency="annual"
    )
    token = await tokens.issue_token(session, actor, role="viewer", secretariat_id=secretariat_id)
    rule = await reminder_rules.add_rule(session, secretariat_id, actor, plan_id, kind="on_due")
    stored = evidence.store(evidence_dir, f"acta {secretariat_id}".encode(), max_bytes=1024)
    report = ProgressReport(
        task_id=first.id,
        person_id=person.id,
        status=TaskStatus.IN_PROGRESS,
        percent=10,
        evidence=[
            Evidence(
                kind=EvidenceKind.DOCUMENT,
                sha256=stored.sha256,
                stored_name=stored.name,
                size=stored.size,
                mime_type=stored.mime_type,
            )
        ],
    )
    session.add(report)
    # The stored file as the session's minutes too, so that they can be read.
    session.add(
        Minutes(
            meeting_id=meeting.meeting.id,
            stored_name=stored.name,
            file_name="acta.txt",
            mime_type=stored.mime_type,
            size=stored.size,
            sha256=stored.sha256,
            uploaded_at=utcnow(),
            uploaded_by="test",
        )
    )
    await session.flush()
    interview = await interviews.schedule(
        session,
        secretariat_id,
        Actor.system(),
        DefinitionCatalog("test"),
        interviews.Scheduled(
            registered[0].id,
            registered[1].id,
            utcnow() + timedelta(days=3),
            "America/Mexico_City",
            60,
            place="Sala",
        ),
        language="es",
        now=utcnow(),
        quiet=None,
    )
    note = InterviewNote(
        interview_id=interview.interview.id,
        kind=EvidenceKind.VOICE,
        sha256=stored.sha256,
        stored_name=stored.name,
        mime_type=stored.mime_type,
    )
    session.add(note)
    await session.flush()
    asked = await help_requests.ask_for_help(session, person, first, utcnow())
    campaign, definition = await _answered_campaign(session, secretariat_id)
    joining = await join_requests.submit(session, secretariat_id, JOIN_FORM, "192.0.2.1")
    mapped = await pea.add_pea_priority(
        session, secretariat_id, Actor.system(), code="P1", title="Prioridad", pna_priorities=[1]
    )
    return {
        "secretariat_id": secretariat_id,
        "plan_id": plan_id,
        "person_id": person.id,
        "invitation_id": invitation.invitation.id,
        "objective_id": objective.id,
        "activity_id": activity.id,
        "task_id": first.id,
        "dependency_id": dependency.id,
        "indicator_id": indicator.id,
        "token_id": token.token.id,
        "rule_id": rule.id,
        "help_request_id": asked.id,
        "join_request_id": joining.id,
        "evidence_id": report.evidence[0].id,
        "campaign_id": campaign.id,
        "meeting_id": meeting.meeting.id,
        "interview_id": interview.interview.id,
        "note_id": note.id,
        "definition_id": definition.definition_id,
        "pea_priority_id": mapped.id,
        "practice_id": await practice_support.published_in(session, secretariat_id),
    }


async def _answered_campaign(session, secretariat_id: int) -> tuple[Campaign, StoredDefinition]:
    """The secretariat's own copy of the problems' prioritisation, and a draft campaign of it
    with one response counted already."""
    catalog = DefinitionCatalog("test")
    own = catalog.get("problem_prioritisation").model_dump(mode="json")
    uploaded = await stored_definitions.upload(
        session,
        secretariat_id,
        Actor.system(),
        catalog,
        data=json.dumps({**own, "id": f"encuesta_{secretariat_id}"}).encode(),
        filename="encuesta.json",
    )
    stored = uploaded.row
    found = await catalog.find(session, secretariat_id, stored.definition_id)
    campaign = await campaigns.create(
        session, secretariat_id, "test", definition=found, settings=campaigns.Settings(),
        reach_now=False,
    )  # fmt: skip
    session.add(
        ResponseSession(
            secretariat_id=secretariat_id,
            campaign_id=campaign.id,
            definition_id=stored.definition_id,
            definition_owner_id=secretariat_id,
            definition_version=stored.version,
            status=ResponseStatus.COMPLETED,
            state={},
            answers={"problems": ["procurement", "impunity", "opacity"]},
        )
    )
    return campaign, stored


@pytest.fixture
async def ids(world, session_factory, settings) -> dict[str, dict[str, int | str]]:
    async with session_factory() as session, session.begin():
        return {
            "own": await _objects(
                session, world.own, world.own_plan, settings.evidence_dir, "workshop_feedback"
            ),
            "other": await _objects(
                session,
                world.other,
                world.other_plan,
                settings.evidence_dir,
                "problem_prioritisation",
            ),
        }


def operations(settings):
    schema = create_app(settings).openapi()
    for path, methods in schema["paths"].items():
        for method in methods:
            yield method.upper(), path


def fill(path: str, values: dict[str, int | str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda match: str(values[match.group(1)]), path)


def expected_when_allowed(method: str, path: str) -> int:
    if path.endswith("/meetings/{meeting_id}/feedback"):
        return 409 if method == "POST" else 404  # the session has not started: no survey yet
    if method == "GET" or path.endswith(("/revoke", "/check-in-code")):
        return 200  # revoking and issuing a check-in code take no body
    if path.endswith("/remind"):
        return 409  # the campaign is a draft: nobody to remind yet
    if path.endswith("/dependencies/{dependency_id}"):
        return 204  # a dependency has no version: the one of each secretariat goes
    if path.endswith("/template"):
        return 200 if method == "POST" else 204  # publishing and withdrawing take no body
    return 422


async def call(client, method: str, url: str, headers):
    if method in ("POST", "PATCH") and not url.endswith("/revoke"):
        return await client.request(method, url, headers=headers, json=[])
    return await client.request(method, url, headers=headers)


@pytest.mark.parametrize("role", ROLES)
async def test_permission_matrix(client, world, ids, settings, role):
    headers = world.auth(role)
    failures = []
    for method, path in operations(settings):
        if path in UNSCOPED | PUBLIC:
            continue
        allowed = role in allowed_roles(method, path)
        scoped = "{secretariat_id}" in path
        # The national admin's token belongs to no secretariat: "own" means any one.
        own_ids = ids["own"]
        if path.startswith("/tokens/") and role == "national_admin":
            own_ids = ids["other"]
        response = await call(client, method, fill(path, own_ids), headers)
        expected = expected_when_allowed(method, path) if allowed else 403
        if response.status_code != expected:
            failures.append((method, path, "own", response.status_code, expected))
        if scoped or path.startswith("/tokens/"):
            response = await call(client, method, fill(path, ids["other"]), headers)
            if role == "national_admin":
                expected = expected_when_allowed(method, path)
            elif path.startswith("/tokens/") and not allowed:
                expected = 403
            else:
                expected = 404
            if response.status_code != expected:
                failures.append((method, path, "other", response.status_code, expected))
        if method == "GET" and scoped and re.search(r"\{(?!secretariat_id)\w+\}", path):
            mixed = {**ids["other"], "secretariat_id": world.own}
            response = await call(client, method, fill(path, mixed), headers)
            expected = 404 if allowed else 403
            if role != "national_admin" and response.status_code != expected:
                failures.append(
                    (method, path, "own path, other ids", response.status_code, expected)
                )
    assert failures == [], "\n".join(map(str, failures))


async def test_every_scoped_operation_refuses_a_missing_token(client, ids, settings):
    for method, path in operations(settings):
        if path in PUBLIC:
            continue
        response = await call(client, method, fill(path, ids["own"]), {})
        assert response.status_code == 401, (method, path, response.status_code)
