"""Lists shipped with the product that any definition may ask from, by name.

A choice question names one as ``choices_from`` (YAML or JSON), or an XLSForm as
``select_one_from_file inegi_municipios.csv``; the choices are the catalogue's, never copied
into the definition:

- ``inegi_estados``: Mexico's 32 states, each by INEGI's two-digit key (``09`` is Ciudad de
  México);
- ``inegi_municipios``: its 2,475 municipalities, each by the five-digit key of its state and
  municipality (``09015`` is Cuauhtémoc, in Ciudad de México), with the column ``estado``
  (its state's key) that a cascade reads: ``choice_filter: "estado = ${estado}"``.

The names and keys are INEGI's Marco Geoestadístico 2022 (see README.md beside this file for
the source, its date and its terms).
"""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib.resources import files
from typing import Any, Literal, get_args

CatalogueName = Literal["inegi_estados", "inegi_municipios"]
CATALOGUES: tuple[str, ...] = get_args(CatalogueName)
STATE_COLUMN = "estado"


@cache
def _municipalities() -> list[dict[str, str]]:
    text = files(__package__).joinpath("inegi_municipios.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def catalogue(name: CatalogueName) -> list[dict[str, Any]]:
    """The choices of a catalogue, as a definition writes them: ``id``, ``label``, ``data``."""
    rows = _municipalities()
    if name == "inegi_estados":
        states = {row["cve_ent"]: row["nombre_estado"] for row in rows}
        return [{"id": key, "label": label} for key, label in states.items()]
    return [
        {
            "id": row["cve_mun"],
            "label": row["nombre_municipio"],
            "data": {STATE_COLUMN: row["cve_ent"]},
        }
        for row in rows
    ]
