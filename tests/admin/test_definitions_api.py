"""Definitions uploaded through the API: listed, read, versioned, refused, published as templates,
and kept to their secretariat."""

from __future__ import annotations

import json

import pytest
import yaml
from sqlalchemy import func, select
from typer.testing import CliRunner

from conversations.definition import parse_definition
from conversations.outline import outline
from core.chat import campaigns
from core.chat.definitions import DefinitionCatalog, Source
from core.models import AuditEvent, Campaign, StoredDefinition
from incorruptible.cli import app as cli
from tests.support.definitions import survey, xlsform

XLSFORM_HEADER = ["type", "name", "label::Español (es)", "label::English (en)", "required"]


def files(name: str, content: bytes) -> dict:
    return {"file": (name, content, "application/octet-stream")}


async def upload(client, secretariat_id: int, headers, name: str, content: bytes):
    return await client.post(
        f"/secretariats/{secretariat_id}/definitions", headers=headers, files=files(name, content)
    )


async def stored(session_factory) -> tuple[int, int]:
    """Stored versions, and upload events in the audit chain."""
    async with session_factory() as session:
        rows = await session.scalar(select(func.count()).select_from(StoredDefinition))
        events = await session.scalar(
            select(func.count()).where(AuditEvent.action == "definition.upload")
        )
        return rows, events


async def test_the_list_holds_the_builtins_then_own_uploads_with_their_versions(client, world):
    viewer = world.auth("viewer")
    base = f"/secretariats/{world.own}/definitions"
    builtins = DefinitionCatalog("test").public()
    listed = (await client.get(base, headers=viewer)).json()
    assert [(d["id"], d["source"]) for d in listed] == [(d.id, "builtin") for d in builtins]
    assert all(d["versions"][0]["uploaded_at"] is None for d in listed)

    coordinator = world.auth("coordinator")
    content = yaml.safe_dump(survey(title="Diagnóstico"), allow_unicode=True).encode()
    assert (await upload(client, world.own, coordinator, "diag.yaml", content)).status_code == 201
    assert (await upload(client, world.own, coordinator, "diag.yml", content)).status_code == 201
    listed = (await client.get(base, headers=viewer, params={"lang": "en"})).json()
    own = [d for d in listed if d["source"] == "own"]
    assert [(d["id"], d["title"], d["kind"], d["anonymous"]) for d in own] == [
        ("encuesta_propia", "Diagnóstico (en)", "survey", False)
    ]
    assert [v["version"] for v in own[0]["versions"]] == [1, 2]
    spanish = (await client.get(base, headers={**viewer, "Accept-Language": "es-MX"})).json()
    assert [d["title"] for d in spanish if d["source"] == "own"] == ["Diagnóstico"]


async def test_yaml_json_and_xlsform_uploads_are_stored_with_their_outline(
    client, world, session_factory
):
    coordinator = world.auth("coordinator")
    base = f"/secretariats/{world.own}/definitions"
    yaml_survey = survey("de_yaml")
    answer = await upload(
        client, world.own, coordinator, "de_yaml.yaml", yaml.safe_dump(yaml_survey).encode()
    )
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert (body["id"], body["version"], body["source"]) == ("de_yaml", 1, "own")
    assert body["outline"] == outline(parse_definition(yaml_survey), "es")
    assert body["warnings"] == []
    assert parse_definition(body["definition"]) == parse_definition(yaml_survey)

    answer = await upload(
        client, world.own, coordinator, "de_json.json", json.dumps(survey("de_json")).encode()
    )
    assert answer.status_code == 201, answer.text

    workbook = xlsform(
        [
            XLSFORM_HEADER,
            ["text", "nombre", "¿Cómo te llamas?", "Your name?", "yes"],
            ["integer", "edad", "¿Qué edad tienes?", "Your age?", "no"],
        ],
        {"form_id": "de_excel", "form_title": "Desde Excel"},
    )
    answer = await upload(client, world.own, coordinator, "de_excel.xlsx", workbook)
    assert answer.status_code == 201, answer.text
    read = (await client.get(f"{base}/de_excel", headers=coordinator, params={"lang": "en"})).json()
    assert read["title"] == "Desde Excel"
    assert "1. nombre [text, required]" in read["outline"]
    assert "Your age?" in read["outline"]
    assert [q["id"] for q in read["definition"]["questions"]] == ["nombre", "edad"]
    assert await stored(session_factory) == (3, 3)
    async with session_factory() as session:
        formats = await session.scalars(
            select(StoredDefinition.file_format).order_by(StoredDefinition.id)
        )
        assert [str(f) for f in formats] == ["yaml", "json", "xlsform"]


async def test_an_xlsform_upload_answers_what_a_chat_leaves_unused_as_warnings(client, world):
    workbook = xlsform(
        [
            [*XLSFORM_HEADER, "appearance", "media::image"],
            ["text", "nombre", "¿Cómo te llamas?", "Your name?", "yes", "multiline", ""],
            ["integer", "edad", "¿Qué edad tienes?", "Your age?", "no", "", "edad.png"],
        ],
        {"form_id": "con_avisos", "form_title": "Con avisos"},
    )
    answer = await upload(client, world.own, world.auth("coordinator"), "avisos.xlsx", workbook)
    assert answer.status_code == 201, answer.text
    warnings = answer.json()["warnings"]
    assert warnings[0] == (
        "avisos.xlsx: sheet 'survey', row 2, column 'appearance': not used in a chat; ignored"
    )
    assert warnings[1].startswith("avisos.xlsx: sheet 'survey', row 3, column 'media::image'")
    assert len(warnings) == 2, warnings


async def test_a_second_upload_is_version_2_and_the_first_stays_readable(client, world):
    coordinator = world.auth("coordinator")
    base = f"/secretariats/{world.own}/definitions"
    first = json.dumps(survey(questions=("¿Primera?",))).encode()
    second = json.dumps(survey(questions=("¿Segunda?", "¿Otra?"))).encode()
    assert (await upload(client, world.own, coordinator, "v.json", first)).json()["version"] == 1
    assert (await upload(client, world.own, coordinator, "v.json", second)).json()["version"] == 2
    latest = (await client.get(f"{base}/encuesta_propia", headers=coordinator)).json()
    assert latest["version"] == 2 and "¿Segunda?" in latest["outline"]
    older = await client.get(f"{base}/encuesta_propia", headers=coordinator, params={"version": 1})
    assert older.json()["version"] == 1
    assert "¿Primera?" in older.json()["outline"] and "¿Segunda?" not in older.json()["outline"]
    missing = await client.get(
        f"{base}/encuesta_propia", headers=coordinator, params={"version": 3}
    )
    assert missing.status_code == 404


async def test_a_bad_xlsform_answers_every_problem_survey_check_prints(
    client, world, session_factory, tmp_path, monkeypatch
):
    workbook = xlsform(
        [
            XLSFORM_HEADER,
            ["begin_repeat", "visitas", "Visitas", "Visits", None],
            ["geotrace", "ruta", "Ruta", "Route", "yes"],
            ["barcode", "codigo", "Código", "Code", "maybe"],
            ["integer", "edad", "Edad", "Age", None],
            ["end_repeat", None, None, None, None],
        ]
    )
    (tmp_path / "mala.xlsx").write_bytes(workbook)
    monkeypatch.chdir(tmp_path)
    checked = CliRunner().invoke(cli, ["survey", "check", "mala.xlsx"])
    assert checked.exit_code == 1
    printed = checked.output.strip().splitlines()
    assert printed[-1] == f"{len(printed) - 1} problems found."

    answer = await upload(client, world.own, world.auth("coordinator"), "mala.xlsx", workbook)
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    assert [error["detail"] for error in answer.json()["errors"]] == printed[:-1]
    assert "sheet 'survey', row 3, column 'type'" in printed[0]
    assert answer.json()["detail"].startswith("No se guardó nada")
    assert await stored(session_factory) == (0, 0)


@pytest.mark.parametrize(
    ("name", "content", "status", "says"),
    [
        ("notas.txt", b"id: x", 422, "XLSForm (.xlsx), YAML"),
        ("falsa.xlsx", b"esto no es un zip", 422, "not a readable xlsx"),
        ("basura.yaml", bytes(range(256)), 422, "cannot be read: 'utf-8' codec"),
        ("lista.yaml", b"- uno\n- dos\n", 422, "a definition must be a mapping of fields"),
        ("rota.json", b'{"id": ', 422, "not valid JSON"),
        ("bomba.yaml", b"a: &x [1, 2]\nb: [*x, *x]\n", 422, "aliases (*name) are not taken"),
        ("enorme.json", b" " * (2 * 1024 * 1024 + 1), 413, "2 MB"),
        ("taller.yaml", yaml.safe_dump(survey("workshop_feedback")).encode(), 409, "built-in"),
    ],
)
async def test_files_holding_no_definition_are_refused_and_nothing_is_written(
    client, world, session_factory, name, content, status, says
):
    headers = {**world.auth("coordinator"), "Accept-Language": "en"}
    answer = await upload(client, world.own, headers, name, content)
    assert answer.status_code == status, answer.text
    problem = answer.json()
    details = [problem["detail"], *(error["detail"] for error in problem.get("errors", []))]
    assert any(says in detail for detail in details), details
    assert await stored(session_factory) == (0, 0)


async def test_a_viewer_may_not_upload(client, world, session_factory):
    content = json.dumps(survey()).encode()
    answer = await upload(client, world.own, world.auth("viewer"), "s.json", content)
    assert answer.status_code == 403
    assert await stored(session_factory) == (0, 0)


async def test_a_template_is_published_by_the_national_team_and_launched_by_another_secretariat(
    client, world, session_factory
):
    content = json.dumps(survey("plantilla", title="Plantilla nacional")).encode()
    assert (
        await upload(client, world.own, world.auth("coordinator"), "p.json", content)
    ).is_success
    template = f"/secretariats/{world.own}/definitions/plantilla/template"
    refused = await client.post(template, headers=world.auth("secretariat_admin"))
    assert refused.status_code == 403
    assert refused.headers["content-type"] == "application/problem+json"
    national = world.auth("national_admin")
    published = await client.post(template, headers=national)
    assert published.status_code == 200 and published.json()["template"] is True

    elsewhere = f"/secretariats/{world.other}/definitions"
    listed = (await client.get(elsewhere, headers=national)).json()
    assert [(d["id"], d["source"]) for d in listed if d["source"] != "builtin"] == [
        ("plantilla", "template")
    ]
    assert (await client.get(f"{elsewhere}/plantilla", headers=national)).json()["source"] == (
        "template"
    )
    async with session_factory() as session, session.begin():
        found = await DefinitionCatalog("test").find(session, world.other, "plantilla")
        assert (found.source, found.owner_id) == (Source.TEMPLATE, world.own)
        campaign, _ = await campaigns.start_now(
            session, world.other, "test", definition=found, settings=campaigns.Settings(),
            reach_now=False,
        )  # fmt: skip
        assert (campaign.definition_id, campaign.definition_owner_id) == ("plantilla", world.own)

    assert (await client.delete(template, headers=national)).status_code == 204
    listed = (await client.get(elsewhere, headers=national)).json()
    assert [d["id"] for d in listed if d["source"] != "builtin"] == []
    assert (await client.get(f"{elsewhere}/plantilla", headers=national)).status_code == 404
    async with session_factory() as session:
        actions = list(
            await session.scalars(
                select(AuditEvent.action)
                .where(AuditEvent.action.like("definition.%"))
                .order_by(AuditEvent.seq)
            )
        )
        assert actions == ["definition.upload", "definition.publish", "definition.withdraw"]
        assert await session.scalar(select(func.count()).select_from(Campaign)) == 1


async def test_another_secretariats_definitions_are_never_listed_and_answer_404(
    client, world, session_factory
):
    national = world.auth("national_admin")
    content = json.dumps(survey("privada")).encode()
    assert (await upload(client, world.other, national, "privada.json", content)).is_success
    own = world.auth("secretariat_admin")
    base = f"/secretariats/{world.own}/definitions"
    assert "privada" not in [d["id"] for d in (await client.get(base, headers=own)).json()]
    missing = await client.get(f"{base}/privada", headers=own)
    assert missing.status_code == 404
    for odd, status in (("con espacio", 404), ("con%00nulo", 404), ("x" * 65, 422)):
        assert (await client.get(f"{base}/{odd}", headers=own)).status_code == status, odd
    for method in ("GET", "POST"):
        answer = await client.request(
            method, f"/secretariats/{world.other}/definitions", headers=own
        )
        assert answer.status_code == 404
    answer = await upload(client, world.other, own, "privada.json", content)
    assert answer.status_code == 404
    assert await stored(session_factory) == (1, 1)
