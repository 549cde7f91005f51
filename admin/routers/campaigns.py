"""Campaigns: a survey or interview sent to an audience, from draft to closing, and who took
part. Results and exports are in ``results``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from admin.auth import Id, PlanEditor, Reader
from admin.context import Catalog, Quiet
from admin.routers.params import creates
from admin.schemas.campaigns import (
    CampaignCreate,
    CampaignRead,
    CampaignUpdate,
    Launched,
    Participation,
    Reminded,
)
from admin.schemas.common import VersionBody
from core.chat import campaigns, participation
from core.models import Campaign, utcnow

router = APIRouter(prefix="/secretariats/{secretariat_id}/campaigns", tags=["campaigns"])


@router.get("", summary="List the campaigns", response_model=list[CampaignRead])
async def list_campaigns(scope: Reader) -> list[Campaign]:
    return await scope.read(campaigns.list_campaigns)


@creates(router, "", CampaignRead, "Draft a campaign")
async def create_campaign(body: CampaignCreate, scope: PlanEditor, catalog: Catalog) -> Campaign:
    """A draft: nobody hears of it until it is launched. The audience must reach somebody
    registered in the bot; only the national team may reach other secretariats."""
    campaign = await scope.change(
        campaigns.create,
        definition=await scope.read(catalog.find, body.definition_id, body.definition_version),
        settings=body.settings(),
        national=scope.principal.is_national,
    )
    return campaign


@router.get("/{campaign_id}", summary="Read a campaign", response_model=CampaignRead)
async def read_campaign(campaign_id: Id, scope: Reader) -> Campaign:
    return await scope.read(campaigns.get_campaign, campaign_id)


@router.put("/{campaign_id}", summary="Change a campaign", response_model=CampaignRead)
async def change_campaign(campaign_id: Id, body: CampaignUpdate, scope: PlanEditor) -> Campaign:
    """Every setting at once, with the `version` you read. Once launched, the audience can
    only grow and the opening moves only while it has not come; a closed campaign is final."""
    campaign = await scope.change(
        campaigns.change,
        campaign_id,
        expected_version=body.version,
        settings=body.settings(),
        national=scope.principal.is_national,
    )
    return campaign


@router.post("/{campaign_id}/launch", summary="Launch a campaign", response_model=Launched)
async def launch_campaign(
    campaign_id: Id, body: VersionBody, scope: PlanEditor, quiet: Quiet
) -> Launched:
    """If it opens now, everyone reached is invited by message, outside their quiet hours
    (`invitations_from` says when the first goes out); else on its opening. People who join
    later and match the audience are invited while it is open: their welcome in chat points
    them to it."""
    invited = await scope.change(
        campaigns.launch, campaign_id, expected_version=body.version, quiet=quiet
    )
    campaign = await scope.read(campaigns.get_campaign, campaign_id)
    now = utcnow()
    return Launched(
        campaign=CampaignRead.model_validate(campaign),
        invited=len(invited),
        invitations_from=min(
            (quiet.next_send_time(now, person.time_zone) for person in invited), default=None
        ),
    )


@router.post("/{campaign_id}/pause", summary="Pause a campaign", response_model=CampaignRead)
async def pause_campaign(campaign_id: Id, body: VersionBody, scope: PlanEditor) -> Campaign:
    """Nobody new is invited, reminded or may start it until it is resumed."""
    return await scope.change(
        campaigns.move, campaign_id, campaigns.PAUSE, expected_version=body.version
    )


@router.post("/{campaign_id}/resume", summary="Resume a campaign", response_model=CampaignRead)
async def resume_campaign(campaign_id: Id, body: VersionBody, scope: PlanEditor) -> Campaign:
    return await scope.change(
        campaigns.move, campaign_id, campaigns.RESUME, expected_version=body.version
    )


@router.post("/{campaign_id}/close", summary="Close a campaign", response_model=CampaignRead)
async def close_campaign(campaign_id: Id, body: VersionBody, scope: PlanEditor) -> Campaign:
    """Invitations and reminders not sent yet are cancelled; where the campaign says so, those
    who finished are sent the results."""
    return await scope.change(
        campaigns.move, campaign_id, campaigns.CLOSE, expected_version=body.version
    )


@router.post(
    "/{campaign_id}/results/publish",
    summary="Publish a closed campaign's results",
    response_model=CampaignRead,
)
async def publish_results(campaign_id: Id, body: VersionBody, scope: PlanEditor) -> Campaign:
    """Its figures appear on the secretariat's public page, `/secretarias/{slug}`, and in the
    open data: counts, shares, rankings and averages, never a text anyone wrote, with every
    group or question answered by fewer than `INCORRUPTIBLE_RESULTS_MIN_GROUP` people hidden.
    Only a closed campaign's results are published (409 otherwise)."""
    return await scope.change(
        campaigns.move, campaign_id, campaigns.PUBLISH_RESULTS, expected_version=body.version
    )


@router.post(
    "/{campaign_id}/results/withdraw",
    summary="Take a campaign's results off the public pages",
    response_model=CampaignRead,
)
async def withdraw_results(campaign_id: Id, body: VersionBody, scope: PlanEditor) -> Campaign:
    return await scope.change(
        campaigns.move, campaign_id, campaigns.WITHDRAW_RESULTS, expected_version=body.version
    )


@router.get(
    "/{campaign_id}/participation",
    summary="Who took part",
    response_model=Participation,
)
async def read_participation(campaign_id: Id, scope: PlanEditor) -> dict[str, Any]:
    """Invited, started, finished, declined and unreachable, overall and by sector, role and
    secretariat, and who has not finished (never what anyone answered)."""
    return await scope.read(participation.participation, campaign_id)


@router.post(
    "/{campaign_id}/remind", summary="Remind those who have not finished", response_model=Reminded
)
async def remind(campaign_id: Id, scope: PlanEditor, quiet: Quiet) -> Reminded:
    """One reminder now to everyone who has not finished, outside quiet hours and absences;
    nobody is reminded twice within 24 hours."""
    return Reminded(reminded=await scope.change(participation.remind_now, campaign_id, quiet=quiet))
