"""A plan's reminder rules, and the state of the outbox that sends what they decide."""

from __future__ import annotations

from fastapi import APIRouter

from admin.auth import Id, PlanEditor, Reader
from admin.routers.items import VersionQuery
from admin.routers.params import Limit, Offset, creates, deletes
from admin.schemas.common import Page
from admin.schemas.reporting import (
    KindCount,
    NotificationRead,
    OutboxState,
    ReminderRuleCreate,
    ReminderRuleRead,
    ReminderRuleUpdate,
)
from core.infra import listing
from core.models import Notification, ReminderRule
from core.notify import outbox, reminder_rules

router = APIRouter(prefix="/secretariats/{secretariat_id}", tags=["reminders"])


@router.get(
    "/plans/{plan_id}/reminder-rules",
    summary="List a plan's reminder rules",
    response_model=list[ReminderRuleRead],
)
async def list_rules(plan_id: Id, scope: Reader) -> list[ReminderRule]:
    return await scope.read(reminder_rules.list_rules, plan_id)


@creates(router, "/plans/{plan_id}/reminder-rules", ReminderRuleRead, "Add a reminder rule")
async def create_rule(plan_id: Id, body: ReminderRuleCreate, scope: PlanEditor) -> ReminderRule:
    """Reminders go to each responsible in their time zone, outside quiet hours, and not
    while they are away. The same kind and days twice in a plan answers 409."""
    return await scope.change(reminder_rules.add_rule, plan_id, **body.model_dump())


@router.get(
    "/reminder-rules/{rule_id}", summary="Read a reminder rule", response_model=ReminderRuleRead
)
async def read_rule(rule_id: Id, scope: Reader) -> ReminderRule:
    return await scope.read(reminder_rules.get_rule, rule_id)


@router.patch(
    "/reminder-rules/{rule_id}", summary="Change a reminder rule", response_model=ReminderRuleRead
)
async def update_rule(rule_id: Id, body: ReminderRuleUpdate, scope: PlanEditor) -> ReminderRule:
    fields = body.model_dump(exclude_unset=True)
    return await scope.change(
        reminder_rules.update_rule,
        rule_id,
        expected_version=fields.pop("version"),
        **fields,
    )


@deletes(router, "/reminder-rules/{rule_id}", "Delete a reminder rule")
async def delete_rule(rule_id: Id, version: VersionQuery, scope: PlanEditor) -> None:
    await scope.change(reminder_rules.delete_rule, rule_id, version=version)


@router.get("/outbox", summary="State of the outbox", response_model=OutboxState)
async def outbox_state(scope: Reader) -> OutboxState:
    """Notifications pending, being sent, sent, failed and cancelled, overall and by kind."""
    return OutboxState(
        states=await scope.read(outbox.counts),
        by_kind=[
            KindCount(kind=kind, state=state, count=count)
            for kind, state, count in await scope.read(outbox.counts_by_kind)
        ],
    )


@router.get(
    "/outbox/failed",
    summary="Notifications that could not be sent",
    response_model=Page[NotificationRead],
)
async def failed_notifications(
    scope: Reader, limit: Limit = 50, offset: Offset = 0
) -> listing.Page[Notification]:
    """Newest first, with the last error: a person who blocked the bot, a message Telegram
    refused, or one that failed every attempt."""
    return await scope.read(outbox.failed, limit=limit, offset=offset)
