"""From priorities to the plan: a prioritisation's Borda ranking becomes lines of action and
activities, each citing the campaign, through the admin API."""

from __future__ import annotations

from sqlalchemy import select

from core.models import AuditEvent
from tests.support.prioritisation import answered


async def test_the_top_problems_become_lines_of_action_citing_the_campaign(
    client, world, session_factory
):
    coordinator = world.auth("coordinator")
    campaign_id = await answered(session_factory, world.own, "problem_prioritisation", "problems")
    base = f"/secretariats/{world.own}"

    ranking = await client.get(f"{base}/campaigns/{campaign_id}/ranking", headers=coordinator)
    assert ranking.status_code == 200, ranking.text
    # Borda over 7 options: 1st earns 7, 2nd 6, 3rd 5.
    top = [(o["choice_id"], o["borda"], o["place"]) for o in ranking.json()[:3]]
    assert top == [("procurement", 38, 1), ("impunity", 36, 2), ("opacity", 24, 3)]
    made = await client.post(
        f"{base}/plans/{world.own_plan}/objectives/from-results",
        headers=coordinator,
        json={"campaign_id": campaign_id, "top": 2},
    )
    assert made.status_code == 201, made.text
    lines = made.json()
    assert [line["objective"]["title"] for line in lines] == [
        "Riesgos de corrupción en contrataciones públicas",
        "Impunidad en faltas administrativas y delitos de corrupción",
    ]
    assert lines[0]["objective"]["description"] == (
        f"Priorizado en la campaña {campaign_id} («Priorización de problemas»): lugar 1, "
        "38 puntos Borda, de 6 respuestas."
    )
    async with session_factory() as session:
        cited = await session.scalars(
            select(AuditEvent).where(AuditEvent.action == "objective.from_results")
        )
        assert [(e.entity_id, e.data["choice_id"], e.data["respondents"]) for e in cited] == [
            (lines[0]["objective"]["id"], "procurement", 6),
            (lines[1]["objective"]["id"], "impunity", 6),
        ]

    # The coordinator picks the solutions, by id, in English.
    solutions = await answered(session_factory, world.own, "solution_prioritisation", "solutions")
    picked = await client.post(
        f"{base}/objectives/{lines[0]['objective']['id']}/activities/from-results",
        headers=coordinator | {"Accept-Language": "en"},
        json={"campaign_id": solutions, "choices": ["social_audit"]},
    )
    assert picked.status_code == 201, picked.text
    assert picked.json()[0]["activity"]["description"].startswith(
        f"Prioritised in campaign {solutions} (“"
    )


async def test_what_cannot_be_taken_is_refused_and_nothing_is_made(client, world, session_factory):
    coordinator = world.auth("coordinator") | {"Accept-Language": "en"}
    campaign_id = await answered(session_factory, world.own, "problem_prioritisation", "problems")
    objectives = f"/secretariats/{world.own}/plans/{world.own_plan}/objectives"

    async def refused(body: dict) -> tuple[int, str]:
        answer = await client.post(f"{objectives}/from-results", headers=coordinator, json=body)
        return answer.status_code, answer.json()["detail"]

    assert await refused({"campaign_id": campaign_id, "choices": ["nope"]}) == (
        422,
        "These options are not in the ranking: nope.",
    )
    assert (await refused({"campaign_id": campaign_id, "choices": ["opacity"], "top": 1}))[0] == 422
    assert (await refused({"campaign_id": campaign_id}))[0] == 422
    assert await refused({"campaign_id": campaign_id, "question_id": "severity", "top": 1}) == (
        422,
        "“severity” is not a ranking question of this campaign; its rankings: problems.",
    )
    foreign = await answered(session_factory, world.other, "problem_prioritisation", "problems")
    assert (await refused({"campaign_id": foreign, "top": 1}))[0] == 404
    viewer = await client.post(
        f"{objectives}/from-results",
        headers=world.auth("viewer"),
        json={"campaign_id": campaign_id, "top": 1},
    )
    assert viewer.status_code == 403
    listed = await client.get(objectives, headers=coordinator)
    assert [o["title"] for o in listed.json()["items"]] == ["Obj"]
