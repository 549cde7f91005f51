"""Small-cell suppression: an attacker holding the total and every shown group recovers no
group under ``k`` respondents, and no question's answers of fewer than ``k`` hidden people."""

from hypothesis import given, settings
from hypothesis import strategies as st

from conversations.definition import parse_definition
from conversations.results import aggregate
from conversations.suppression import suppressed

DEFINITION = parse_definition(
    {
        "id": "cells",
        "version": 1,
        "title": "Celdas",
        "questions": [
            {
                "id": "pick",
                "type": "single_choice",
                "text": "Elige",
                "required": False,
                "choices": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}],
            },
            {"id": "amount", "type": "integer", "text": "Cuánto", "required": False},
        ],
    }
)
SECTORS = ["osc", "academia", "medios", "empresas", None]

people = st.lists(
    st.tuples(
        st.sampled_from(SECTORS),
        st.sampled_from(["a", "b", None]),
        st.one_of(st.none(), st.integers(0, 3)),
    ),
    max_size=40,
)


def responses_of(rows):
    return [
        {"status": "completed", "answers": {"pick": pick, "amount": amount},
         "respondent": {"sector": sector}}
        for sector, pick, amount in rows
    ]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(rows=people, k=st.integers(1, 6))
def test_subtracting_the_shown_groups_from_the_total_singles_out_no_small_group(rows, k):
    result = aggregate(DEFINITION, responses_of(rows), by="sector", min_group=k)
    groups = result["breakdown"]["groups"]
    members = {value: [row for row in rows if row[0] == value] for value in SECTORS}
    hidden = {group["value"] for group in groups if group["suppressed"]}
    shown = [group for group in groups if not group["suppressed"]]
    every_group_hidden = not shown

    for group in shown:
        assert group["respondents"] >= k
    # What subtraction recovers: nothing, everyone, or at least k people of two groups or more.
    remainder = result["respondents"] - sum(group["respondents"] for group in shown)
    holding = [value for value in hidden if members[value]]
    assert remainder == 0 or every_group_hidden or (remainder >= k and len(holding) >= 2)
    for group in groups:
        if group["suppressed"]:
            assert set(group) == {"value", "suppressed"}

    for position, (question, column) in enumerate((("pick", 1), ("amount", 2))):
        total = result["questions"][position]
        shown_here = [g["questions"][position] for g in shown]
        visible = [figures for figures in shown_here if not figures.get("suppressed")]
        for figures in visible:
            assert figures["answered"] >= k
        pairs = zip(shown, shown_here, strict=True)
        hidden_here = hidden | {group["value"] for group, f in pairs if f.get("suppressed")}
        answered = {v: sum(1 for row in members[v] if row[column] is not None) for v in hidden_here}
        remainder = total["answered"] - sum(figures["answered"] for figures in visible)
        assert remainder == sum(answered.values())
        holding = [value for value, count in answered.items() if count]
        assert remainder == 0 or not visible or (remainder >= k and len(holding) >= 2), question
        if question == "pick":
            for option in range(2):
                hidden_count = total["options"][option]["count"] - sum(
                    figures["options"][option]["count"] for figures in visible
                )
                assert hidden_count == 0 or not visible or len(holding) >= 2


def test_one_small_group_takes_the_next_smallest_with_it():
    assert suppressed({"osc": 3, "academia": 6, "medios": 9}, 5) == {"osc", "academia"}


def test_small_groups_that_together_reach_k_hide_nothing_more():
    assert suppressed({"osc": 3, "academia": 2, "medios": 9}, 5) == {"osc", "academia"}


def test_small_groups_that_together_stay_under_k_take_the_next_smallest():
    assert suppressed({"osc": 1, "academia": 2, "medios": 9, "empresas": 7}, 5) == {
        "osc",
        "academia",
        "empresas",
    }
