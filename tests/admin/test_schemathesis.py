"""Property-based tests of every operation against the app's own OpenAPI, over real HTTP.

Schemathesis generates requests from the schema and sends them to uvicorn on a loopback port:
no answer may be a 5xx, and every answer must match its documented status, media type and
schema (valid and invalid ones alike). Examples per operation are few, so the suite stays quick.
A stateful run chains calls through the links Schemathesis infers from the schema: a plan is
created, then its objectives, activities, tasks and dependencies, which are read and changed.
"""

from __future__ import annotations

import asyncio
import itertools

import httpx
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import given as hypothesis_given
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from admin.app import create_app
from core.infra.settings import Settings
from tests.admin.server import serving
from tests.admin.test_plans_api import build_plan

EXAMPLES_PER_OPERATION = 5
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def exercise(base_url: str, headers: dict[str, str]) -> tuple[int, int, list[str]]:
    """(operations, requests sent, failures)."""
    schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json")
    failures = []
    operations = sent = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        strategy = operation.as_strategy(GenerationMode.POSITIVE) | operation.as_strategy(
            GenerationMode.NEGATIVE
        )

        @hypothesis_given(case=strategy)
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def check(case) -> None:
            nonlocal sent
            sent += 1
            case.call_and_validate(base_url=base_url, headers=headers, checks=CHECKS)

        try:
            check()
        except Exception as failure:  # report every operation's failure, not only the first
            failures.append(f"{operation.label}: {failure}")
    return operations, sent, failures


async def test_no_operation_fails_or_breaks_its_schema(db_url, client, world, session_factory):
    # Real data, so that generated ids sometimes hit something.
    await build_plan(client, f"/secretariats/{world.own}", world.auth("secretariat_admin"))
    app = create_app(Settings(database_url=db_url, bot_username="incorruptible_test_bot"))
    with serving(app) as base_url:
        operations, sent, failures = await asyncio.to_thread(
            exercise, base_url, world.auth("national_admin")
        )
    assert failures == [], "\n\n".join(failures)
    assert operations >= 50 and sent > 2 * operations


# Operations on a secretariat's plan tree, the ones the stateful run chains.
PLAN_TREE = r"^/secretariats/\{secretariat_id\}/(plans|objectives|activities|tasks|dependencies)"
SCENARIOS = 40
STEPS = 10


def exercise_statefully(base_url: str, headers: dict[str, str]) -> int:
    """Chained calls on plans, each scenario in a new secretariat (so that a scenario run again
    meets the same state); how many calls were sent."""
    schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json").include(path_regex=PLAN_TREE)
    sent = 0
    scenarios = itertools.count()

    class PlanTree(schema.as_state_machine()):  # type: ignore[misc]
        def setup(self) -> None:
            created = httpx.post(
                f"{base_url}/secretariats",
                headers=headers,
                json={"slug": f"sesea-{next(scenarios)}", "name": "SESEA", "state": "Nacional"},
            )
            assert created.status_code == 201, created.text
            self.secretariat_id = created.json()["id"]

        def before_call(self, case) -> None:
            # Every step acts in the scenario's secretariat, not in a random one.
            if "secretariat_id" in (case.path_parameters or {}):
                case.path_parameters["secretariat_id"] = self.secretariat_id

        def get_call_kwargs(self, case) -> dict:
            return {"base_url": base_url, "headers": headers}

        def validate_response(self, response, case, additional_checks=None, **kwargs) -> None:
            nonlocal sent
            sent += 1
            case.validate_response(response, checks=CHECKS)

    PlanTree.run(
        settings=settings(
            max_examples=SCENARIOS,
            stateful_step_count=STEPS,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
    )
    return sent


async def test_chained_calls_on_a_plan_tree_never_fail_or_break_the_schema(db_url, world):
    app = create_app(Settings(database_url=db_url, bot_username="incorruptible_test_bot"))
    with serving(app) as base_url:
        sent = await asyncio.to_thread(exercise_statefully, base_url, world.auth("national_admin"))
    assert sent > SCENARIOS
