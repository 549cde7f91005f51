"""Read models derived from core's dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from pydantic import Field

from admin.schemas.common import read_model


@dataclass(frozen=True)
class Leaf:
    name: str
    hours: Decimal


@dataclass(frozen=True)
class Tree:
    leaf: Leaf | None
    children: list[Tree] = field(default_factory=list)


LeafRead = read_model(Leaf, "LeafRead", name=Field(description="What it is called."))
TreeRead = read_model(Tree, "TreeRead", "A tree of leaves.")


def test_a_read_model_keeps_the_fields_in_order_all_required_with_amounts_as_numbers():
    schema = LeafRead.model_json_schema()
    assert schema["title"] == "LeafRead"
    assert list(schema["properties"]) == ["name", "hours"]
    assert schema["required"] == ["name", "hours"]
    assert schema["properties"]["hours"]["type"] == "number"
    assert schema["properties"]["name"]["description"] == "What it is called."


def test_nested_and_own_dataclasses_are_shown_by_their_read_models():
    schema = TreeRead.model_json_schema()
    assert schema["$defs"]["TreeRead"]["description"] == "A tree of leaves."
    assert set(schema["$defs"]) == {"LeafRead", "TreeRead"}
    tree = Tree(Leaf("root", Decimal("1.5")), [Tree(None)])
    assert TreeRead.model_validate(tree).model_dump() == {
        "leaf": {"name": "root", "hours": 1.5},
        "children": [{"leaf": None, "children": []}],
    }


def test_a_change_to_a_field_the_dataclass_lacks_is_refused():
    with pytest.raises(TypeError, match="no field colour"):
        read_model(Leaf, "LeafRead", colour=Field(description="?"))
