"""Property-based tests of every operation against the app's own OpenAPI, over real HTTP.

Schemathesis generates requests from the schema and sends them to uvicorn on a loopback port:
no answer may be a 5xx, and every answer must match its documented status, media type and
schema (valid and invalid ones alike). Examples per operation are few, so the suite stays quick.
"""

from __future__ import annotations

import asyncio

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
