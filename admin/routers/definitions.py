"""Conversation definitions a secretariat may launch: built in, uploaded, national templates."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Path, Query, UploadFile

from admin.auth import National, PlanEditor, Reader
from admin.context import Catalog, Language
from admin.problems import problem_responses
from admin.routers.params import creates, deletes
from admin.schemas.definitions import DefinitionRead, DefinitionSummary, DefinitionVersionRead
from conversations.definition import localize
from conversations.outline import outline
from core.chat import stored_definitions
from core.chat.definitions import Located, Source

router = APIRouter(prefix="/secretariats/{secretariat_id}/definitions", tags=["definitions"])


DefinitionId = Annotated[str, Path(max_length=64, description="The id the definition gives.")]
VersionParam = Annotated[
    int | None, Query(ge=1, le=2**31 - 1, description="A version; the latest if unset.")
]


def _read(
    located: Located, language: str, template: bool = False, warnings: list[str] | None = None
) -> DefinitionRead:
    definition = located.definition
    return DefinitionRead(
        id=definition.id,
        version=definition.version,
        kind=definition.kind,
        title=localize(definition.title, language),
        anonymous=definition.anonymous,
        source=located.source,
        template=template or located.source == Source.TEMPLATE,
        outline=outline(definition, language),
        definition=definition.model_dump(mode="json"),
        warnings=warnings or [],
    )


@router.get(
    "",
    summary="List the definitions a secretariat may launch",
    response_model=list[DefinitionSummary],
)
async def list_definitions(
    scope: Reader, catalog: Catalog, language: Language
) -> list[DefinitionSummary]:
    """The built-in surveys and interviews, the secretariat's own uploads and the national
    templates, each with its versions."""
    return [
        DefinitionSummary(
            id=item.located.definition.id,
            kind=item.located.definition.kind,
            title=localize(item.located.definition.title, language),
            anonymous=item.located.definition.anonymous,
            source=item.located.source,
            versions=[
                DefinitionVersionRead(version=v.version, uploaded_at=v.uploaded_at)
                for v in item.versions
            ],
        )
        for item in await scope.read(catalog.available)
    ]


@router.get(
    "/{definition_id}", summary="Read a definition and its outline", response_model=DefinitionRead
)
async def read_definition(
    definition_id: DefinitionId,
    scope: Reader,
    catalog: Catalog,
    language: Language,
    version: VersionParam = None,
) -> DefinitionRead:
    """The outline `survey check` prints, and the definition itself."""
    located = await scope.read(catalog.find, definition_id, version)
    template = located.source == Source.OWN and await scope.read(
        stored_definitions.published, definition_id
    )
    return _read(located, language, template)


@creates(router, "", DefinitionRead, "Upload a definition", responses=problem_responses(413))
async def upload_definition(
    scope: PlanEditor,
    catalog: Catalog,
    language: Language,
    file: Annotated[UploadFile, File(description="An XLSForm (.xlsx), .yaml/.yml or .json.")],
) -> DefinitionRead:
    """Stored as the next version of its id (1 for a new one); sessions under way finish on
    the version they started. A definition with problems answers 422 listing each one as
    `survey check` prints it, and nothing is saved; what an XLSForm holds that a chat has no use
    for (media, appearance...) is listed under `warnings`, by sheet, row and column."""
    data = await file.read(stored_definitions.MAX_BYTES + 1)
    uploaded = await scope.change(
        stored_definitions.upload, catalog, data=data, filename=file.filename or ""
    )
    row = uploaded.row
    located = Located(catalog.stored(row).definition, Source.OWN, row.secretariat_id)
    return _read(located, language, warnings=uploaded.warnings)


@router.post(
    "/{definition_id}/template",
    summary="Publish a definition as a template for every secretariat",
    response_model=DefinitionRead,
)
async def publish_template(
    definition_id: DefinitionId, scope: National, catalog: Catalog, language: Language
) -> DefinitionRead:
    """National team only: its latest version, which every secretariat may then launch."""
    row = await scope.change(stored_definitions.publish, definition_id)
    located = Located(catalog.stored(row).definition, Source.OWN, row.secretariat_id)
    return _read(located, language, template=True)


@deletes(router, "/{definition_id}/template", "Withdraw a template")
async def withdraw_template(definition_id: DefinitionId, scope: National) -> None:
    """National team only: no secretariat starts it any more; sessions under way finish."""
    await scope.change(stored_definitions.withdraw, definition_id)
