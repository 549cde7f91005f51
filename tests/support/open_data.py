"""The open data's files downloaded beside their descriptor, as a data user does."""

from __future__ import annotations

import json

import frictionless

from core.public.open_data import TABLES


async def validated_package(client, folder, **params: str):
    """Every file the descriptor names, downloaded (with ``params``) beside it, and
    Frictionless' report on them."""
    described = (await client.get("/datos/datapackage.json")).json()
    assert {r["path"] for r in described["resources"]} == {
        f"{table.name}.{extension}" for table in TABLES for extension in ("csv", "json")
    }
    for resource in described["resources"]:
        response = await client.get(f"/datos/{resource['path']}", params=params)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith(resource["mediatype"])
        (folder / resource["path"]).write_bytes(response.content)
    (folder / "datapackage.json").write_text(json.dumps(described), encoding="utf-8")
    return frictionless.validate(str(folder / "datapackage.json"))
