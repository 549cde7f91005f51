"""The national policy's structure as shipped: 4 ejes, 10 objectives, 40 priorities, consistent."""

from __future__ import annotations

import pytest

from core.errors import InvalidInput
from core.policy import national_policy, priority_numbers


def test_the_policy_has_four_ejes_ten_objectives_and_forty_priorities():
    policy = national_policy()
    assert [eje.number for eje in policy.ejes] == [1, 2, 3, 4]
    assert [item.number for item in policy.objectives] == list(range(1, 11))
    assert [item.number for item in policy.priorities] == list(range(1, 41))
    assert all(eje.title for eje in policy.ejes)
    assert all(item.title for item in policy.objectives)


def test_every_priority_and_objective_sits_in_an_eje_of_its_own():
    policy = national_policy()
    for objective in policy.objectives:
        assert policy.eje(objective.eje) is not None
    for priority in policy.priorities:
        assert policy.eje(priority.eje) is not None
        if priority.objective is not None:
            objective = policy.objective(priority.objective)
            assert objective is not None and objective.eje == priority.eje
        assert priority.term in (None, "corto", "mediano", "largo")
    assert [len(policy.matching(eje=eje.number)) for eje in policy.ejes] == [10, 10, 10, 10]


def test_filters_narrow_the_priorities_and_an_unknown_number_matches_none():
    policy = national_policy()
    assert policy.matching() == frozenset(range(1, 41))
    assert policy.matching(eje=2) == frozenset(range(11, 21))
    assert policy.matching(eje=2, priority=12) == {12}
    assert policy.matching(eje=1, priority=12) == frozenset()
    assert policy.priority(41) is None and policy.eje(5) is None


def test_priority_numbers_are_ordered_once_each_and_checked():
    assert priority_numbers([12, 3, 12]) == [3, 12]
    assert priority_numbers(None) == []
    for wrong in ([0], [41], ["3"], [True], "12"):
        with pytest.raises(InvalidInput):
            priority_numbers(wrong)
