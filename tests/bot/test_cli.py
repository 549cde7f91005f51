"""`incorruptible invite` and `campaign`, run as a coordinator runs them."""

from __future__ import annotations

import json

from sqlalchemy import select

from core.audit.actor import Actor
from core.chat import stored_definitions
from core.chat.definitions import DefinitionCatalog
from core.infra.db import create_engine, create_session_factory
from core.models import Campaign, Invitation
from core.people import invitations
from tests.cli.test_commands import incorruptible
from tests.support.definitions import survey


async def test_invite_prints_the_deep_link_last_and_campaigns_launch(empty_db_url):
    assert incorruptible("seed-demo", database_url=empty_db_url).returncode == 0
    invited = incorruptible(
        "invite",
        "--role",
        "civil_society",
        "--sector",
        "academia",
        database_url=empty_db_url,
        INCORRUPTIBLE_BOT_USERNAME="incorruptible_bot",
    )
    assert invited.returncode == 0, invited.stderr
    link = invited.stdout.strip().splitlines()[-1]
    assert link.startswith("https://t.me/incorruptible_bot?start=")
    code = link.rsplit("=", 1)[1]
    # With no bot token and no username, the link opens the local emulator's web chat.
    local = incorruptible("invite", "--role", "staff", database_url=empty_db_url)
    assert local.stdout.strip().splitlines()[-1].startswith("http://127.0.0.1:8081/?start=")

    refused = incorruptible("invite", "--role", "civil_society", database_url=empty_db_url)
    assert refused.returncode == 1
    assert "sector" in refused.stderr

    launched = incorruptible(
        "campaign", "launch", "workshop_feedback", "--role", "staff", database_url=empty_db_url
    )
    assert launched.returncode == 0, launched.stderr
    assert "campaign 2:" in launched.stdout  # the demo's own survey is the first
    listed = incorruptible("campaign", "list", database_url=empty_db_url)
    assert "workshop_feedback\topen\t0 completed" in listed.stdout
    unknown = incorruptible("campaign", "launch", "no_such_survey", database_url=empty_db_url)
    assert unknown.returncode == 1

    engine = create_engine(empty_db_url)
    try:
        async with create_session_factory(engine)() as session:
            invitation = await invitations.usable_invitation(session, code)
            assert invitation.sector == "academia"
            assert len((await session.scalars(select(Invitation))).all()) == 2
            campaign = await session.get_one(Campaign, 2)
            assert campaign.audience["roles"] == ["staff"]
    finally:
        await engine.dispose()


async def test_invite_binds_to_an_existing_person_or_says_in_one_line_why_not(empty_db_url):
    assert incorruptible("seed-demo", database_url=empty_db_url).returncode == 0
    username = {"INCORRUPTIBLE_BOT_USERNAME": "incorruptible_bot"}
    # Person 3 of the demo is Lucía Ramírez Soto, staff, named in the plan.
    invited = incorruptible("invite", "--person", "3", database_url=empty_db_url, **username)
    assert invited.returncode == 0, invited.stderr
    assert invited.stdout.startswith("Invitation for Lucía Ramírez Soto (staff) to Secretaría")
    code = invited.stdout.strip().rsplit("=", 1)[1]

    unknown = incorruptible("invite", "--person", "999", database_url=empty_db_url, **username)
    assert unknown.returncode == 1
    assert unknown.stderr.strip().splitlines() == ["Person 999 not found."]

    engine = create_engine(empty_db_url)
    try:
        async with create_session_factory(engine)() as session:
            invitation = await invitations.usable_invitation(session, code)
            assert (invitation.person_id, invitation.role) == (3, "staff")
    finally:
        await engine.dispose()


def test_bot_without_a_token_points_to_run():
    result = incorruptible("bot", INCORRUPTIBLE_BOT_TOKEN="")
    assert result.returncode == 2
    assert "incorruptible run" in result.stderr


async def test_campaign_definitions_lists_the_secretariats_own_with_their_versions(empty_db_url):
    assert incorruptible("seed-demo", database_url=empty_db_url).returncode == 0
    engine = create_engine(empty_db_url)
    try:
        async with create_session_factory(engine)() as session, session.begin():
            for _ in range(2):
                await stored_definitions.upload(
                    session, 1, Actor.system(), DefinitionCatalog("2026-01"),
                    data=json.dumps(survey("consulta_propia")).encode(), filename="p.json",
                )  # fmt: skip
    finally:
        await engine.dispose()
    listed = incorruptible("campaign", "definitions", database_url=empty_db_url)
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert any(line.startswith("problem_prioritisation\tsurvey\tbuiltin\tv1\t") for line in lines)
    assert any(line.startswith("consulta_propia\tsurvey\town\tv1,2\t") for line in lines)
