"""The database itself keeps validation data consistent: quorum bounds, one vote per validator."""

from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from core.models import (
    Role,
    Sector,
    ValidationAssignment,
    ValidationPolicy,
    ValidationRequest,
    ValidationVote,
    VoteChoice,
    utcnow,
)
from core.people.people import create_person
from core.plans import tasks
from core.reporting import reports
from tests.support import factories


async def test_a_quorum_larger_than_the_validators_asked_is_refused(session):
    async with session.begin():
        sec = await factories.secretariat(session)
        plan, _activity = await factories.plan_with_activity(session, sec.id)
    with pytest.raises(IntegrityError):
        async with session.begin():
            session.add(ValidationPolicy(plan_id=plan.id, validators_per_request=2,
                                         min_confirmations=3, min_sectors=1))  # fmt: skip


async def test_a_validator_votes_once_per_request_and_is_asked_once(session):
    async with session.begin():
        sec = await factories.secretariat(session)
        plan, activity = await factories.plan_with_activity(session, sec.id)
        ana = await factories.staff(session, sec.id)
        task = await tasks.add_task(
            session, sec.id, "t", activity.id, title="Informe", responsible_ids=[ana.id]
        )
        report = await reports.submit_report(session, ana, task.id, status="done")
        validator = await create_person(
            session, sec.id, "t", roles={Role.CIVIL_SOCIETY}, sector=Sector.OSC, name="Vale"
        )
        validator_id = validator.id
        now = utcnow()
        request = ValidationRequest(
            secretariat_id=sec.id, plan_id=plan.id, report_id=report.id, requested_by="t",
            validators_wanted=1, min_confirmations=1, min_sectors=1,
            disputes_at_most_confirmations=True, reply_days=3, remind_days_before=1,
            deadline=now + timedelta(days=7),
        )  # fmt: skip
        session.add(request)
        await session.flush()
        assignment = ValidationAssignment(
            request_id=request.id, person_id=validator.id, sector=Sector.OSC, asked_at=now
        )
        session.add(assignment)
        await session.flush()
        session.add(ValidationVote(assignment_id=assignment.id, request_id=request.id,
                                   choice=VoteChoice.CONFIRM, cast_at=now))  # fmt: skip
    ids = {"request_id": request.id, "assignment_id": assignment.id}
    with pytest.raises(IntegrityError):
        async with session.begin():
            session.add(ValidationVote(**ids, choice=VoteChoice.DISPUTE, cast_at=now))
    with pytest.raises(IntegrityError):
        async with session.begin():
            session.add(ValidationAssignment(request_id=ids["request_id"], person_id=validator_id,
                                             sector=Sector.OSC, asked_at=now))  # fmt: skip
