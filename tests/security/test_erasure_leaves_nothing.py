"""Erasure leaves nothing of the person: after a secretariat's whole life in chat and two
erasures, no column of any table holds an erased person's name, account, email, organisation,
invitation note or anything they typed, no row they own survives beyond the references plans
and the audit chain keep, and their evidence files are gone from disk.

Every column that can hold text (strings, JSON, big integers such as Telegram ids; enums hold
only their members) is named below with how erasure treats it: a new one fails the test until
it is handled and listed.
"""

from __future__ import annotations

import json

from sqlalchemy import BigInteger, Enum, ForeignKey, String, Text, select
from sqlalchemy.types import JSON

from core.models import Base
from tests.support import privacy_scenario

ERASED = "erased: emptied on the person's rows"
COLUMNS = {
    "person.name": ERASED,
    "person.telegram_id": ERASED,
    "person.telegram_username": ERASED,
    "person.email": ERASED,
    "person.organisation": ERASED,
    "person.consent_version": ERASED,
    "invitation.note": "erased on invitations bound to or used by the person",
    "notification.text": "emptied on the person's messages; their values redacted in others'",
    "notification.markup": "emptied on the person's messages; others' hold labels and ids only",
    "notification.attachment": "emptied on the person's messages; others': a session's files",
    "notification.last_error": "emptied on the person's messages; Telegram's delivery errors",
    "response_session.telegram_id": "the person's sessions, joining ones too, are deleted",
    "response_session.state": "the person's sessions are deleted",
    "response_session.answers": "the person's sessions are deleted; anonymous ones are unlinked",
    "response_session.respondent": "the person's sessions are deleted; anonymous ones: a sector",
    "response_tally.value": "the person's answers are taken out of the counts; anonymous ones stay",
    "response_text.value": "deleted with the person's sessions; anonymous ones stay, unlinked",
    "response_tally.digest": "kept: the hash of a count's answer",
    "response_tally.question_id": "kept: a question's id",
    "response_tally.kind": "kept: what is counted",
    "response_tally.sector": "kept: a respondent group",
    "response_tally.roles": "kept: a respondent group",
    "response_text.question_id": "kept: a question's id",
    "response_text.kind": "kept: what is kept",
    "response_text.sector": "kept: a respondent group",
    "response_text.roles": "kept: a respondent group",
    "report_draft.files": "deleted with the person's sessions, their files too",
    "progress_report.note": "emptied on the person's reports",
    "progress_report.blocked_reason": "emptied on the person's reports",
    "help_request.message": "emptied on the person's requests for help",
    "evidence.telegram_file_id": "emptied on the evidence of the person's reports",
    "evidence.stored_name": "emptied, and the file deleted unless another report holds it",
    "evidence.caption": "emptied on the evidence of the person's reports",
    "evidence.url": "emptied on the evidence of the person's reports",
    "evidence.public_name": "emptied, and the cleaned copy deleted unless other evidence holds it",
    "validation_information.question": "emptied on the person's questions as validator",
    "validation_information.answer": "emptied on the answers to the person's reports",
    "validation_vote.comment": "emptied on the person's votes",
    "validation_vote.voice_file_id": "emptied on the person's votes",
    # A meeting is set by its secretariat; its invitees' rows, answers included, are deleted.
    "meeting.title": "kept: written by the secretariat",
    "meeting.step": "kept: a methodology step's id",
    "meeting.time_zone": "kept: a setting of the meeting",
    "meeting.place": "kept: written by the secretariat",
    "meeting.video_url": "kept: written by the secretariat",
    "meeting.agenda": "kept: written by the secretariat",
    "meeting.audience": "kept: roles, sectors and ids; the person's invitee row is deleted",
    "meeting.check_in_code_hash": "kept: the hash of the host's code; attendance is on invitees",
    "agreement.text": "kept: written by the secretariat, as its task's title",
    "agreement.recorded_by": "kept: an actor, as the audit chain names it",
    "meeting_minutes.file_name": "kept: the name of the secretariat's document",
    "meeting_minutes.mime_type": "kept: a file type",
    "meeting_minutes.sha256": "kept: the hash of the secretariat's document",
    "meeting_minutes.stored_name": "kept: the secretariat's document, named by its hash",
    "meeting_minutes.uploaded_by": "kept: an actor, as the audit chain names it",
    "meeting.feedback_definition_id": "kept: the id of the survey that follows the meeting",
    "interview.definition_id": "kept: the id of the interview's definition",
    "interview_solution.choice_id": "kept: an option's id in a prioritisation",
    "interview_note.text": "emptied when the interviewer or the interviewee is erased",
    "interview_note.telegram_file_id": "emptied when the interviewer or the interviewee is erased",
    "interview_note.stored_name": "emptied, and the file deleted unless something else holds it",
    "interview_note.mime_type": "kept: a file type",
    "interview_note.sha256": "kept: the hash the audit chain names the note's file by",
    "person.expected_text": "emptied: the button whose answer was awaited",
    # Written on the public page by someone not yet a person; see tests/public/test_joining.py.
    "join_request.name": "emptied when the request is declined or its invitation is used",
    "join_request.organisation": "emptied when the request is declined or its invitation is used",
    "join_request.contact": "emptied when the request is declined or its invitation is used",
    "join_request.sender_key": "kept: a keyed hash of a network address, for an hour's limit",
    "join_request.decided_by": "kept: an actor, by id",
    # Kept: each holds no personal data, or a reference by id or hash.
    "person.language": "kept: a setting shared by many",
    "person.time_zone": "kept: a setting shared by many",
    "person.command_menu": "kept: a fingerprint of a menu shared by many",
    "ledger_key.key": "kept: the deployment's random pseudonym key",
    "processed_update.bot_id": "kept: Telegram's bot id",
    "processed_update.update_id": "kept: Telegram's update counter",
    "secretariat.slug": "kept: the institution",
    "secretariat.name": "kept: the institution",
    "secretariat.state": "kept: the institution",
    "secretariat.time_zone": "kept: the institution",
    "api_token.token_hash": "kept: the hash of a random secret",
    "api_token.label": "kept: named by the administrator who issues it; no person of the bot's",
    "api_token.created_by": "kept: an actor, by id",
    "audit_event.actor": "kept: an actor, by id; the chain is never edited",
    "audit_event.action": "kept: the chain's own vocabulary",
    "audit_event.entity_type": "kept: the chain's own vocabulary",
    "audit_event.data": "kept: ids, hashes, roles and sectors only (scanned here too)",
    "audit_event.prev_hash": "kept: a hash",
    "audit_event.hash": "kept: a hash",
    "campaign.definition_id": "kept: a definition's id",
    "campaign.audience": "kept: roles, sectors and person ids",
    "campaign.invitation_text": "kept: the secretariat's words to its audience",
    "campaign.title": "kept: a definition's title",
    "plan.title": "kept: the secretariat's plan",
    "plan.description": "kept: the secretariat's plan",
    "objective.code": "kept: the secretariat's plan",
    "objective.title": "kept: the secretariat's plan",
    "objective.description": "kept: the secretariat's plan",
    "objective.pea_priority": "kept: the secretariat's plan",
    "objective.pna_priorities": "kept: numbers of the national policy's priorities",
    "pea_priority.code": "kept: the secretariat's state policy",
    "pea_priority.title": "kept: the secretariat's state policy",
    "pea_priority.pna_priorities": "kept: numbers of the national policy's priorities",
    "activity.code": "kept: the secretariat's plan",
    "activity.title": "kept: the secretariat's plan",
    "activity.description": "kept: the secretariat's plan",
    "indicator.name": "kept: the secretariat's plan",
    "indicator.method": "kept: the secretariat's plan",
    "indicator.unit": "kept: the secretariat's plan",
    "indicator.means_of_verification": "kept: the secretariat's plan",
    "indicator.due_dates": "kept: the secretariat's plan",
    "indicator.evidence_kinds": "kept: the secretariat's plan",
    "measurement.note": "emptied: the person's note on a value they reported",
    "task.code": "kept: the secretariat's plan",
    "task.title": "kept: the secretariat's plan",
    "task.description": "kept: the secretariat's plan",
    "task.inputs": "kept: the secretariat's plan",
    "task.outputs": "kept: the secretariat's plan",
    "practice.title": "kept: the secretariat's good practice",
    "practice.problem": "kept: the secretariat's good practice",
    "practice.pea_priority": "kept: the secretariat's good practice",
    "practice.actions": "kept: the secretariat's good practice",
    "practice.results": "kept: the secretariat's good practice",
    "practice.contact_role": "kept: a role to contact, never a person's name",
    "practice.search_text": "kept: the stems of the practice's own texts",
    "invitation.code_hash": "kept: the hash of a random code",
    "notification.kind": "kept: the outbox's own vocabulary",
    "notification.key": "kept: ids, so each message happens once",
    "notification.subject_type": "kept: the outbox's own vocabulary",
    "notification.telegram_message_id": "kept: Telegram's message counter",
    "response_session.definition_id": "kept: a definition's id",
    "stored_definition.definition_id": "kept: a definition's id",
    "stored_definition.content": "kept: a survey the secretariat wrote, asking, never answering",
    "stored_definition.file_name": "kept: the name of the secretariat's file",
    "stored_definition.uploaded_by": "kept: an actor, by id",
    "evidence.mime_type": "kept: a file type",
    "evidence.sha256": "kept: the hash the audit chain and validation name the evidence by",
    "validation_request.requested_by": "kept: an actor, by id",
    "help_request.resolved_by": "kept: an actor, by id",
    "validation_information.answer_evidence_ids": "kept: evidence ids",
}
# Rows that may still point at an erased person, and why; every other reference is deleted.
REFERENCES = {
    "person_role.person_id": "roles stay on the emptied person row",
    "progress_report.person_id": "the plan's progress keeps who reported, by id",
    "help_request.person_id": "the coordination keeps who asked for help, by id, emptied",
    "task_responsible.person_id": "the plan keeps who was responsible, by id",
    "indicator_responsible.person_id": "the plan keeps who reports an indicator, by id",
    "validation_assignment.person_id": "the audit chain names the assignment",
    "notification.person_id": "emptied messages stay, so none is sent twice",
    "invitation.person_id": "spent invitations, their note emptied",
    "invitation.used_by_id": "spent invitations, their note emptied",
    "invitation.created_by_id": "invitations the person made for others",
}


def textual(column) -> bool:
    kind = column.type
    if isinstance(kind, Enum):
        return False  # only its members
    kind = getattr(kind, "impl", kind)
    return isinstance(kind, String | Text | JSON | BigInteger)


def shown(value) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def test_every_column_that_can_hold_text_is_named_with_its_treatment():
    columns = {
        f"{table.name}.{column.name}"
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if textual(column)
    }
    assert columns == set(COLUMNS), (
        f"handle at erasure and list: {sorted(columns - set(COLUMNS))}; "
        f"gone: {sorted(set(COLUMNS) - columns)}"
    )


async def test_an_erased_person_is_in_no_column_no_reference_and_no_file(chat, tmp_path):
    chat.settings = chat.settings.model_copy(update={"data_dir": tmp_path})
    scenario = await privacy_scenario.run(chat)
    personal = scenario.values_of(*scenario.erased)
    erased_ids = {scenario.people[name].person_id for name in scenario.erased}
    found, referenced = [], []
    async with chat.session_factory() as session:
        for table in Base.metadata.sorted_tables:
            rows = (await session.execute(select(table))).mappings().all()
            for column in table.columns:
                where = f"{table.name}.{column.name}"
                points_at_person = any(
                    isinstance(key, ForeignKey) and key.target_fullname == "person.id"
                    for key in column.foreign_keys
                )
                for row in rows:
                    value = row[column]
                    if value is None:
                        continue
                    if points_at_person and value in erased_ids and where not in REFERENCES:
                        referenced.append(where)
                    if textual(column):
                        text = shown(value)
                        found += [(where, v, whose) for v, whose in personal.items() if v in text]
    assert not found, found
    assert not referenced, sorted(set(referenced))
    # Ana's photo was stored there; only her report held it.
    evidence = chat.settings.evidence_dir
    assert evidence.is_dir() and not [path for path in evidence.rglob("*") if path.is_file()]
