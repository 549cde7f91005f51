"""A prioritisation campaign whose rankings were answered, for what reads its ranking."""

from __future__ import annotations

from core.chat import campaigns
from core.chat.definitions import DefinitionCatalog, Located
from core.models import ResponseSession, ResponseStatus

# Six rankings of the problems: procurement leads, then impunity, then opacity.
RANKINGS = [
    ["procurement", "impunity", "opacity"],
    ["procurement", "opacity", "impunity"],
    ["impunity", "procurement", "services"],
    ["procurement", "impunity", "civil_service"],
    ["opacity", "procurement", "impunity"],
    ["impunity", "opacity", "procurement"],
]


async def answered(session_factory, secretariat_id: int, definition_id: str, question: str):
    """A launched campaign of the definition, with the rankings above answered."""
    definition = DefinitionCatalog("test").get(definition_id)
    async with session_factory() as session, session.begin():
        campaign, _ = await campaigns.start_now(
            session,
            secretariat_id,
            "test",
            definition=Located.builtin(definition),
            settings=campaigns.Settings(),
            reach_now=False,
        )
        choices = {choice.id for choice in definition.question(question).choices or ()}
        for order in RANKINGS:
            session.add(
                ResponseSession(
                    secretariat_id=secretariat_id,
                    campaign_id=campaign.id,
                    definition_id=definition.id,
                    definition_version=definition.version,
                    anonymous=definition.anonymous,
                    status=ResponseStatus.COMPLETED,
                    state={},
                    answers={question: [c for c in order if c in choices] or sorted(choices)[:3]},
                )
            )
        return campaign.id
