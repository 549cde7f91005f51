"""Another secretariat's id answers exactly like an id that never existed: same status, same
detail but for the id sent, never naming anything the caller did not ask for. Before,
``DELETE /secretariats/1/dependencies/27`` for secretariat 2's dependency answered "task 34 not
found", naming the other tenant's task."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from core.audit.actor import Actor
from core.chat import campaigns, stored_definitions
from core.chat.definitions import DefinitionCatalog, Located
from core.meetings import interviews, meetings
from core.models import Activity, Objective, Role, TaskDependency, TokenRole, utcnow
from core.notify import reminder_rules
from core.people import invitations, join_requests, tokens
from core.people.people import create_person
from core.plans import indicators
from core.policy import pea
from core.reporting import help_requests, reports
from core.reporting.evidence import EvidenceItem
from tests.admin.test_permissions import JOIN_FORM
from tests.support import factories, practices
from tests.support.definitions import survey

MISSING = 1_999_999_999
PARAM = re.compile(r"\{(\w+)\}")


@pytest.fixture
async def theirs(world, session_factory) -> dict[str, int | str]:
    """One item of every kind a path names, in the other secretariat."""
    async with session_factory() as session, session.begin():
        zoe = await create_person(
            session, world.other, "t", roles={Role.STAFF}, name="Zoe", telegram_id=990
        )
        activity = await session.scalar(
            select(Activity).join(Objective).where(Objective.plan_id == world.other_plan)
        )
        chain = await factories.chain(
            session, world.other, activity.id, {"a": 1, "b": 1}, [("a", "b", 0)]
        )
        chain["a"].responsibles = [zoe]
        await session.flush()
        report = await reports.submit_report(
            session,
            zoe,
            chain["a"].id,
            status="in_progress",
            percent_done=10,
            evidence=[EvidenceItem(kind="link", sha256="0" * 64, url="https://example.mx/a")],
        )
        indicator = await indicators.create_indicator(
            session, world.other, "t", world.other_plan, name="I", unit="u", frequency="annual"
        )
        asked = await help_requests.ask_for_help(session, zoe, chain["a"], utcnow())
        joining = await join_requests.submit(session, world.other, JOIN_FORM, "192.0.2.2")
        rule = await reminder_rules.add_rule(
            session, world.other, "t", world.other_plan, kind="on_due"
        )
        invitation = await invitations.create_invitation(session, world.other, "t", role=Role.STAFF)
        token = await tokens.issue_token(
            session, "t", role=TokenRole.VIEWER, secretariat_id=world.other
        )
        campaign = await campaigns.create(
            session,
            world.other,
            "t",
            definition=Located.builtin(DefinitionCatalog("t").get("problem_prioritisation")),
            settings=campaigns.Settings(),
            reach_now=False,
        )
        definition = await stored_definitions.upload(
            session,
            world.other,
            Actor.system(),
            DefinitionCatalog("test"),
            data=json.dumps(survey("suya")).encode(),
            filename="suya.json",
        )
        theirs_pea = await pea.add_pea_priority(
            session, world.other, Actor.system(), code="P1", title="Suya", pna_priorities=[1]
        )
        meeting = await meetings.create_meeting(
            session,
            world.other,
            Actor.system(),
            meetings.Details(
                "workshop",
                "Suyo",
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
        yves = await create_person(
            session, world.other, "t", roles={Role.STAFF}, name="Yves", telegram_id=991
        )
        interview = await interviews.schedule(
            session,
            world.other,
            Actor.system(),
            DefinitionCatalog("test"),
            interviews.Scheduled(
                zoe.id, yves.id, utcnow() + timedelta(days=3), "America/Mexico_City", 60, "Sala"
            ),
            language="es",
            now=utcnow(),
            quiet=None,
        )
        note = await interviews.add_note(
            session, world.other, Actor.system(), interview.interview.id, text="Suya"
        )
        await session.flush()
        dependency = await session.scalar(select(TaskDependency.id))
        return {
            "campaign_id": campaign.id,
            "meeting_id": meeting.meeting.id,
            "interview_id": interview.interview.id,
            "note_id": note.id,
            "secretariat_id": world.other,
            "plan_id": world.other_plan,
            "objective_id": activity.objective_id,
            "activity_id": activity.id,
            "task_id": chain["a"].id,
            "dependency_id": dependency,
            "person_id": zoe.id,
            "indicator_id": indicator.id,
            "rule_id": rule.id,
            "help_request_id": asked.id,
            "join_request_id": joining.id,
            "invitation_id": invitation.invitation.id,
            "token_id": token.token.id,
            "evidence_id": report.evidence[0].id,
            "definition_id": definition.row.definition_id,
            "pea_priority_id": theirs_pea.id,
            # A draft: another secretariat's practice is found only once it is published.
            "practice_id": await practices.draft_in(session, world.other),
        }


def _resolve(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    return schema


def operations(openapi: dict[str, Any]):
    """(method, path, id parameter, example body) of every operation with an id in its path."""
    components = openapi["components"]["schemas"]
    for path, methods in openapi["paths"].items():
        for method, operation in methods.items():
            names = PARAM.findall(path)
            if not names:
                continue
            body = None
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                schema = _resolve(content["application/json"]["schema"], components)
                body = (schema.get("examples") or [{}])[0]
            elif content:
                continue  # a file upload: refused for its form before any id is looked up
            for name in names[:2]:  # the secretariat and the first id within it
                yield method, path, name, body


async def answer(http, headers, method, path, name, value, own, body, theirs) -> tuple[int, str]:
    url = path.replace(f"{{{name}}}", str(value))
    if name != "secretariat_id":
        url = url.replace("{secretariat_id}", str(own))
    # A second id in the path (a meeting's invitee) is the other secretariat's too: the first
    # is refused before it is read. A foreign invitee of an own meeting: test_attendance_api.
    url = PARAM.sub(lambda other: str(theirs[other.group(1)]), url)
    response = await http.request(
        method.upper(), url, headers=headers, json=body, params={"version": 1}
    )
    detail = response.json().get("detail", "") if response.content else ""
    return response.status_code, detail.replace(str(value), "{id}")


async def test_every_foreign_id_answers_like_a_missing_one(http, world, theirs):
    headers = {**world.auth("secretariat_admin"), "Accept-Language": "en"}
    openapi = (await http.get("/openapi.json")).json()
    walked = 0
    for method, path, name, body in operations(openapi):
        foreign = await answer(
            http, headers, method, path, name, theirs[name], world.own, body, theirs
        )
        missing = await answer(http, headers, method, path, name, MISSING, world.own, body, theirs)
        assert foreign == missing, (method, path, name, foreign, missing)
        # Publishing a template is the national team's: refused before any id is looked up.
        national_only = path.endswith("/template") and name != "secretariat_id"
        assert foreign[0] == (403 if national_only else 404), (method, path, name, foreign)
        walked += 1
    assert walked >= 40
