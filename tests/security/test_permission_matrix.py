"""Every operation of the admin API × every kind of caller, declared in one table.

A route missing from ``ACCESS`` fails the suite: a new operation must say who may call it.
Callers: each role of the own secretariat, no token at all, and another secretariat's admin.
Writes carry a body that is not an object, so a caller who may act reaches the validation of
the request (422) and nothing changes (see tests/admin/test_permissions.py).
"""

from __future__ import annotations

import re

import pytest

from admin.app import create_app
from core.models import TokenRole
from tests.admin.conftest import issue
from tests.admin.test_permissions import (
    EDITORS,
    EVERYONE,
    MANAGERS,
    call,
    expected_when_allowed,
    fill,
    ids,
)

PUBLIC = "public"  # anyone, without a token
ANY_TOKEN = "any token"  # any valid token, in no secretariat
READ = frozenset(EVERYONE)
EDIT = frozenset(EDITORS)
MANAGE = frozenset(MANAGERS)
NATIONAL = frozenset({"national_admin"})
CALLERS = [*(role.value for role in TokenRole), "no token", "other secretariat"]

ACCESS: dict[tuple[str, str], str | frozenset[str]] = {
    ("GET", "/health"): PUBLIC,
    ("GET", "/me"): ANY_TOKEN,
    ("GET", "/tokens"): MANAGE,
    ("POST", "/tokens"): MANAGE,
    ("POST", "/tokens/{token_id}/revoke"): MANAGE,
    ("GET", "/secretariats"): READ,
    ("POST", "/secretariats"): NATIONAL,
    ("GET", "/secretariats/{secretariat_id}"): READ,
    ("PATCH", "/secretariats/{secretariat_id}"): MANAGE,
    ("GET", "/secretariats/{secretariat_id}/people"): READ,
    ("POST", "/secretariats/{secretariat_id}/people"): MANAGE,
    ("GET", "/secretariats/{secretariat_id}/people/{person_id}"): READ,
    ("PATCH", "/secretariats/{secretariat_id}/people/{person_id}"): MANAGE,
    ("GET", "/secretariats/{secretariat_id}/invitations"): READ,
    ("POST", "/secretariats/{secretariat_id}/invitations"): MANAGE,
    ("POST", "/secretariats/{secretariat_id}/invitations/{invitation_id}/revoke"): MANAGE,
    ("GET", "/secretariats/{secretariat_id}/join-requests"): READ,
    ("POST", "/secretariats/{secretariat_id}/join-requests/{join_request_id}/accept"): EDIT,
    ("POST", "/secretariats/{secretariat_id}/join-requests/{join_request_id}/decline"): EDIT,
    ("GET", "/practices"): ANY_TOKEN,
    ("GET", "/practices/{practice_id}"): ANY_TOKEN,
    ("GET", "/secretariats/{secretariat_id}/practices"): READ,
    ("POST", "/secretariats/{secretariat_id}/practices"): EDIT,
    ("GET", "/secretariats/{secretariat_id}/practices/{practice_id}"): READ,
    ("PATCH", "/secretariats/{secretariat_id}/practices/{practice_id}"): EDIT,
    ("POST", "/secretariats/{secretariat_id}/practices/{practice_id}/submit"): EDIT,
    ("POST", "/secretariats/{secretariat_id}/practices/{practice_id}/publish"): EDIT,
    ("POST", "/secretariats/{secretariat_id}/practices/{practice_id}/withdraw"): EDIT,
    ("POST", "/secretariats/{secretariat_id}/practices/{practice_id}/adopt"): EDIT,
    ("GET", "/secretariats/{secretariat_id}/plans"): READ,
    ("POST", "/secretariats/{secretariat_id}/plans"): EDIT,
    ("GET", "/secretariats/{secretariat_id}/plans/{plan_id}"): READ,
    ("PATCH", "/secretariats/{secretariat_id}/plans/{plan_id}"): EDIT,
    ("DELETE", "/secretariats/{secretariat_id}/plans/{plan_id}"): EDIT,
    ("GET", "/secretariats/{secretariat_id}/plans/{plan_id}/objectives"): READ,
    ("POST", "/secretariats/{secretariat_id}/plans/{plan_id}/objectives"): EDIT,
    ("GET", "/secretariats/{secretariat_id}/objectives/{objective_id}"): READ,
    ("PATCH", "/secretariats/{secretariat_id}/objectives/{objective_id}"): EDIT,
    ("DELETE", "/secretariats/{secretariat_id}/objectives/{objective_id}"): EDIT,
    ("GET", "/secretariats/{secretariat_id}/objectives/{objective_id}/activities"): READ,
    ("POST", "/secretariats/{secretariat_id}/objectives/{objective_id}/activities"): EDIT,
    ("GET", "/secretariats/{secretariat_id}/activities/{activity_id}"): READ,
    ("PATCH", "/secretariats/{secretariat_id}/activities/{activity_id}"): EDIT,
    ("DELETE", "/secretariats/{secretariat_id}/activities/{activity_id}"): EDIT,
    ("GET", "/secretariats/{secretariat_id}/pea-priorities"): READ,
    ("POST", "/secretariats/{secretariat_id}/pea-priorities"): EDIT,
    ("GET", "/secretariats/{secretariat_id}/pea-priorities/{pea_priority_id}"): READ,
    ("PATCH", "/secretariats/{secretariat_id}/pea-priorities/{pea_priority_id}"): EDIT,
    ("DELETE", "/secretariats/{secretariat_id}/pea-priorities/{pea_priority_id}"): EDIT,
    ("GET", "/secretariats/{secretariat_id}/plans/{plan_id}/tasks"): READ,
    ("POST", "/secretariats/{secretariat_id}/activities/{activity_id}/tasks"): EDIT,
    ("GET", "/secretariats/{secretariat_id}/tasks/{task_id}"): READ,
    ("PATCH", "/secretariats/{secretariat_id}/tasks/{task_id}"): EDIT,
    ("DELETE", "/secretariats/{secretariat_id}/tasks/{task_id}"): EDIT,
    ("GET", "/secretariats/{secretariat_id}/plans/{plan_id}/dependencies"): READ,
    ("POST", "/secretariats/{secretariat_id}/dependencies"): EDIT,
    ("DELETE", "/secretariats/{secretariat_id}/dependencies/{dependency_id}"): EDIT,
    ("GET", "/secretariats/{secretariat_id}/tasks/{task_id}/reports"): READ,
    ("GET", "/secretariats/{secretariat_id}/evidence/{evidence_id}/file"): EDIT,
    ("PUT", "/secretariats/{secretariat_id}/evidence/{evidence_id}/public"): EDIT,
    ("GET", "/secretariats/{secretariat_id}/plans/{plan_id}/reminder-rules"): READ,
    ("POST", "/secretariats/{secretariat_id}/plans/{plan_id}/reminder-rules"): EDIT,
    ("GET", "/secretariats/{secretariat_id}/reminder-rules/{rule_id}"): READ,
    ("PATCH", "/secretariats/{secretariat_id}/reminder-rules/{rule_id}"): EDIT,
    ("DELETE", "/secretariats/{secretariat_id}/reminder-rules/{rule_id}"): EDIT,
    ("GET", "/secretariats/{secretariat_id}/help-requests"): READ,
    ("GET", "/secretariats/{secretariat_id}/help-requests/{help_request_id}"): READ,
    ("POST", "/secretariats/{secretariat_id}/help-requests/{help_request_id}/resolve"): EDIT,
    ("GET", "/secretariats/{secretariat_id}/outbox"): READ,
    ("GET", "/secretariats/{secretariat_id}/outbox/failed"): READ,
    ("GET", "/secretariats/{secretariat_id}/plans/{plan_id}/indicators"): READ,
    ("POST", "/secretariats/{secretariat_id}/plans/{plan_id}/indicators"): EDIT,
    ("GET", "/secretariats/{secretariat_id}/indicators/{indicator_id}"): READ,
    ("PATCH", "/secretariats/{secretariat_id}/indicators/{indicator_id}"): EDIT,
    ("DELETE", "/secretariats/{secretariat_id}/indicators/{indicator_id}"): EDIT,
    ("GET", "/secretariats/{secretariat_id}/indicators/{indicator_id}/measurements"): READ,
    ("POST", "/secretariats/{secretariat_id}/indicators/{indicator_id}/measurements"): EDIT,
    ("GET", "/secretariats/{secretariat_id}/indicators/{indicator_id}/series"): READ,
    ("GET", "/secretariats/{secretariat_id}/plans/{plan_id}/indicators/progress"): READ,
    ("GET", "/secretariats/{secretariat_id}/plans/{plan_id}/progress"): READ,
    ("GET", "/secretariats/{secretariat_id}/plans/{plan_id}/critical-path"): READ,
    ("GET", "/secretariats/{secretariat_id}/plans/{plan_id}/timeline"): READ,
    ("GET", "/secretariats/{secretariat_id}/plans/{plan_id}/attention"): READ,
    ("GET", "/secretariats/{secretariat_id}/plans/{plan_id}/workload"): READ,
    ("GET", "/secretariats/{secretariat_id}/plans/{plan_id}/audit"): READ,
    ("GET", "/audit/verify"): ANY_TOKEN,
    ("GET", "/audit/head"): ANY_TOKEN,
    ("GET", "/plan-template.xlsx"): PUBLIC,
    ("POST", "/secretariats/{secretariat_id}/plans/import"): EDIT,
    ("GET", "/secretariats/{secretariat_id}/plans/{plan_id}/export.xlsx"): READ,
    ("POST", "/secretariats/{secretariat_id}/plans/{plan_id}/import"): EDIT,
    ("POST", "/secretariats/{secretariat_id}/validations"): EDIT,
    ("GET", "/secretariats/{secretariat_id}/validations"): READ,
    ("GET", "/secretariats/{secretariat_id}/plans/{plan_id}/task-validations"): READ,
    ("GET", "/secretariats/{secretariat_id}/plans/{plan_id}/validation-policy"): READ,
    ("PUT", "/secretariats/{secretariat_id}/plans/{plan_id}/validation-policy"): EDIT,
    ("GET", "/secretariats/{secretariat_id}/meetings"): READ,
    ("POST", "/secretariats/{secretariat_id}/meetings"): EDIT,
    ("GET", "/secretariats/{secretariat_id}/meetings/{meeting_id}"): READ,
    ("PATCH", "/secretariats/{secretariat_id}/meetings/{meeting_id}"): EDIT,
    ("POST", "/secretariats/{secretariat_id}/meetings/{meeting_id}/cancel"): EDIT,
    ("POST", "/secretariats/{secretariat_id}/meetings/{meeting_id}/check-in-code"): EDIT,
    ("GET", "/secretariats/{secretariat_id}/meetings/{meeting_id}/attendance"): READ,
    ("PUT", "/secretariats/{secretariat_id}/meetings/{meeting_id}/attendance/{person_id}"): EDIT,
    ("POST", "/secretariats/{secretariat_id}/meetings/{meeting_id}/feedback"): EDIT,
    ("GET", "/secretariats/{secretariat_id}/meetings/{meeting_id}/feedback"): READ,
    ("GET", "/secretariats/{secretariat_id}/attendance"): READ,
    ("POST", "/secretariats/{secretariat_id}/meetings/{meeting_id}/agreements"): EDIT,
    ("GET", "/secretariats/{secretariat_id}/meetings/{meeting_id}/agreements"): READ,
    ("PUT", "/secretariats/{secretariat_id}/meetings/{meeting_id}/minutes"): EDIT,
    ("GET", "/secretariats/{secretariat_id}/meetings/{meeting_id}/minutes"): READ,
    ("GET", "/secretariats/{secretariat_id}/interviews"): READ,
    ("POST", "/secretariats/{secretariat_id}/interviews"): EDIT,
    ("GET", "/secretariats/{secretariat_id}/interviews/{interview_id}"): READ,
    ("PUT", "/secretariats/{secretariat_id}/interviews/{interview_id}/solutions"): EDIT,
    ("POST", "/secretariats/{secretariat_id}/interviews/{interview_id}/notes"): EDIT,
    (
        "GET",
        "/secretariats/{secretariat_id}/interviews/{interview_id}/notes/{note_id}/file",
    ): EDIT,
    ("GET", "/secretariats/{secretariat_id}/campaigns"): READ,
    ("POST", "/secretariats/{secretariat_id}/campaigns"): EDIT,
    ("GET", "/secretariats/{secretariat_id}/campaigns/{campaign_id}"): READ,
    ("PUT", "/secretariats/{secretariat_id}/campaigns/{campaign_id}"): EDIT,
    ("POST", "/secretariats/{secretariat_id}/campaigns/{campaign_id}/remind"): EDIT,
    ("POST", "/secretariats/{secretariat_id}/campaigns/{campaign_id}/launch"): EDIT,
    ("POST", "/secretariats/{secretariat_id}/campaigns/{campaign_id}/pause"): EDIT,
    ("POST", "/secretariats/{secretariat_id}/campaigns/{campaign_id}/resume"): EDIT,
    ("POST", "/secretariats/{secretariat_id}/campaigns/{campaign_id}/close"): EDIT,
    ("POST", "/secretariats/{secretariat_id}/campaigns/{campaign_id}/results/publish"): EDIT,
    ("POST", "/secretariats/{secretariat_id}/campaigns/{campaign_id}/results/withdraw"): EDIT,
    ("GET", "/secretariats/{secretariat_id}/campaigns/{campaign_id}/participation"): EDIT,
    ("GET", "/secretariats/{secretariat_id}/campaigns/{campaign_id}/ranking"): READ,
    ("POST", "/secretariats/{secretariat_id}/plans/{plan_id}/objectives/from-results"): EDIT,
    (
        "POST",
        "/secretariats/{secretariat_id}/objectives/{objective_id}/activities/from-results",
    ): EDIT,
    ("GET", "/secretariats/{secretariat_id}/definitions"): READ,
    ("POST", "/secretariats/{secretariat_id}/definitions"): EDIT,
    ("GET", "/secretariats/{secretariat_id}/definitions/{definition_id}"): READ,
    ("POST", "/secretariats/{secretariat_id}/definitions/{definition_id}/template"): NATIONAL,
    ("DELETE", "/secretariats/{secretariat_id}/definitions/{definition_id}/template"): NATIONAL,
    ("GET", "/secretariats/{secretariat_id}/campaigns/{campaign_id}/results"): READ,
    ("GET", "/secretariats/{secretariat_id}/campaigns/{campaign_id}/results.html"): READ,
    ("GET", "/secretariats/{secretariat_id}/campaigns/{campaign_id}/export.xlsx"): READ,
    ("GET", "/secretariats/{secretariat_id}/campaigns/{campaign_id}/export.csv"): READ,
    ("GET", "/secretariats/{secretariat_id}/definitions/{definition_id}/results"): READ,
    ("GET", "/campaigns.html"): ANY_TOKEN,
    ("GET", "/signin"): PUBLIC,
    ("POST", "/signin"): PUBLIC,
    ("POST", "/signout"): PUBLIC,
    ("GET", "/public/ledger"): PUBLIC,
    ("GET", "/public/ledger/head"): PUBLIC,
}
# What the public operations that are not reads answer to the matrix's body (not a form) or
# to a browser that was not signed in.
PUBLIC_ANSWERS = {("POST", "/signin"): 422, ("POST", "/signout"): 303}
__all__ = ["ids"]  # the fixture, shared with tests/admin/test_permissions.py


def expected(caller: str, method: str, path: str) -> int:
    access = ACCESS[(method, path)]
    if access == PUBLIC:
        return PUBLIC_ANSWERS.get((method, path), 200)
    if caller == "no token":
        return 401
    if access == ANY_TOKEN:
        return 200
    assert isinstance(access, frozenset)
    role = "secretariat_admin" if caller == "other secretariat" else caller
    if caller == "other secretariat" and re.search(r"\{\w+\}", path):
        return 404 if role in access or "{secretariat_id}" in path else 403
    return expected_when_allowed(method, path) if role in access else 403


def test_every_operation_has_a_row(settings):
    operations = {
        (method.upper(), path)
        for path, methods in create_app(settings).openapi()["paths"].items()
        for method in methods
    }
    assert operations - ACCESS.keys() == set(), "operations without a row in ACCESS"
    assert ACCESS.keys() - operations == set(), "rows of operations that no longer exist"


@pytest.mark.parametrize("caller", CALLERS)
async def test_each_caller_gets_what_its_row_says(client, world, ids, session_factory, caller):
    if caller == "no token":
        headers: dict[str, str] = {}
    elif caller == "other secretariat":
        async with session_factory() as session, session.begin():
            headers = await issue(session, TokenRole.SECRETARIAT_ADMIN, world.other)
    else:
        headers = world.auth(caller)
    failures = []
    for method, path in ACCESS:
        # The national admin's token belongs to no secretariat: "own" means any one.
        national_token = path.startswith("/tokens/") and caller == "national_admin"
        values = ids["other"] if national_token else ids["own"]
        response = await call(client, method, fill(path, values), headers)
        want = expected(caller, method, path)
        if response.status_code != want:
            failures.append((method, path, response.status_code, want))
    assert failures == [], "\n".join(map(str, failures))
