"""Mexico's 32 states as SVG shapes shipped with the product, and the state a secretariat names.

``mexico_states.json`` beside this module holds, for each state by INEGI's two-digit key (the
keys of the ``inegi_estados`` catalogue), an SVG path in the frame ``VIEW_BOX`` and a point
inside it for a label. Nothing is fetched at run time; README.md beside this file names the
source of the outlines, its terms and how the file was derived.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from conversations.answers import normalize
from conversations.catalogues import catalogue

# The frame the outlines were projected into (Lambert conformal conic, as INEGI draws Mexico).
VIEW_BOX = "0 0 1000 685"

# How secretariats also write a state: INEGI's official names where the catalogue keeps the
# common one, and the capital's and the State of Mexico's usual short names.
ALIASES = {
    "cdmx": "09",
    "distrito federal": "09",
    "mexico": "15",
    "edomex": "15",
    "coahuila de zaragoza": "05",
    "michoacan de ocampo": "16",
    "veracruz de ignacio de la llave": "30",
}


@dataclass(frozen=True)
class StateShape:
    """One state: its INEGI key, its name, its outline as SVG path data and a label point."""

    key: str
    name: str
    path: str
    label_x: float
    label_y: float


@cache
def _shapes() -> dict[str, StateShape]:
    text = files(__package__).joinpath("mexico_states.json").read_text(encoding="utf-8")
    outlines = json.loads(text)
    return {
        state["id"]: StateShape(
            key=state["id"],
            name=state["label"],
            path=outlines[state["id"]]["d"],
            label_x=outlines[state["id"]]["label"][0],
            label_y=outlines[state["id"]]["label"][1],
        )
        for state in catalogue("inegi_estados")
    }


def state_shapes() -> dict[str, StateShape]:
    """Every state's shape by INEGI key, in key order."""
    return dict(_shapes())


@cache
def _keys_by_name() -> dict[str, str]:
    names = {normalize(state["label"]): state["id"] for state in catalogue("inegi_estados")}
    return names | ALIASES


def state_key(name: str) -> str | None:
    """The INEGI key of a state however a secretariat writes it; None for ``Nacional`` or none."""
    return _keys_by_name().get(normalize(name))
