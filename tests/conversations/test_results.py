"""Aggregated results: counts, statistics, Borda counts, other texts and breakdowns."""

import json

import pytest

from conversations.definition import parse_definition
from conversations.definitions import load_builtin
from conversations.engine.inputs import ChoiceInput, CommandInput, TextInput
from conversations.engine.navigation import Engine
from conversations.results import aggregate
from tests.conversations.autopilot import answer_all

DEFINITION = parse_definition(
    {
        "id": "results",
        "version": 1,
        "title": "Resultados",
        "questions": [
            {
                "id": "pick",
                "type": "single_choice",
                "text": "Elige",
                "other": True,
                "choices": [
                    {"id": "a", "label": {"es": "A", "en": "A"}},
                    {"id": "b", "label": {"es": "B", "en": "B"}},
                ],
            },
            {
                "id": "many",
                "type": "multiple_choice",
                "text": "Varias",
                "required": False,
                "choices": [
                    {"id": "x", "label": "X"},
                    {"id": "y", "label": "Y"},
                    {"id": "z", "label": "Z"},
                ],
            },
            {
                "id": "order",
                "type": "ranking",
                "text": "Ordena",
                "choices": [
                    {"id": "p", "label": "P"},
                    {"id": "q", "label": "Q"},
                    {"id": "r", "label": "R"},
                ],
            },
            {"id": "score", "type": "rating", "text": "Califica"},
            {"id": "amount", "type": "decimal", "text": "Monto"},
            {"id": "comment", "type": "text", "text": "Comentario", "required": False},
        ],
    }
)


def respond(engine, sector, *inputs):
    state = engine.start("es", {"sector": sector})
    for given in inputs:
        outcome = engine.feed(state, given)
        assert outcome.error is None, outcome.error
        state = outcome.state
    assert state.status == "completed"
    return state


@pytest.fixture
def sessions():
    engine = Engine(DEFINITION)
    return [
        respond(
            engine,
            "osc",
            ChoiceInput("a"),
            TextInput("1, 2"),
            CommandInput("done"),
            TextInput("1, 2"),
            ChoiceInput("5"),
            TextInput("10"),
            TextInput("Bien"),
        ),
        respond(
            engine,
            "osc",
            ChoiceInput("other"),
            TextInput("Ninguna"),
            TextInput("2"),
            CommandInput("done"),
            TextInput("2, 1"),
            ChoiceInput("4"),
            TextInput("20"),
            CommandInput("skip"),
        ),
        respond(
            engine,
            "academia",
            ChoiceInput("a"),
            CommandInput("skip"),
            TextInput("3, 1"),
            ChoiceInput("5"),
            TextInput("1,5"),
            CommandInput("skip"),
        ),
        engine.start("es", {"sector": "media"}),  # not completed: not counted
    ]


def test_aggregate(sessions):
    result = aggregate(DEFINITION, [s.to_json() for s in sessions], language="es")
    assert json.loads(json.dumps(result)) == result
    assert result["respondents"] == 3
    pick, many, order, score, amount, comment = result["questions"]
    assert pick["options"] == [
        {"id": "a", "label": "A", "count": 2, "percent": 66.7},
        {"id": "b", "label": "B", "count": 0, "percent": 0.0},
        {"id": "other", "label": "Otra (especifica)", "count": 1, "percent": 33.3},
    ]
    assert pick["other_texts"] == ["Ninguna"]
    assert (many["answered"], many["skipped"]) == (2, 1)
    assert [o["count"] for o in many["options"]] == [1, 2, 0]
    assert [o["percent"] for o in many["options"]] == [50.0, 100.0, 0.0]
    # p: 3+2+2 = 7, q: 2+3 = 5 (+1 placed last), r: 1+1+3 = 5
    assert [(o["id"], o["borda"], o["first"]) for o in order["options"]] == [
        ("p", 7, 1),
        ("q", 6, 1),
        ("r", 5, 1),
    ]
    assert order["options"][0]["mean_rank"] == pytest.approx(5 / 3, abs=0.001)
    assert (score["mean"], score["median"]) == (pytest.approx(14 / 3, abs=1e-4), 5)
    assert [d["count"] for d in score["distribution"]] == [0, 0, 0, 1, 2]
    assert (amount["min"], amount["max"], amount["median"]) == (1.5, 20, 10)
    assert comment["texts"] == ["Bien"]


def test_breakdown_by_respondent_attribute(sessions):
    result = aggregate(DEFINITION, sessions, by="sector", language="en")
    groups = {group["value"]: group for group in result["breakdown"]["groups"]}
    assert set(groups) == {"academia", "osc"}
    assert groups["osc"]["respondents"] == 2
    assert groups["academia"]["questions"][0]["options"][0]["count"] == 1
    assert result["questions"][0]["options"][2]["label"] == "Other (please specify)"


@pytest.mark.parametrize("definition_id", ["project_interview", "secretariat_diagnostic"])
def test_every_builtin_aggregates(definition_id):
    definition = load_builtin(definition_id)
    engine = Engine(definition)
    states = [answer_all(engine, "es", {"sector": "osc"}).state for _ in range(3)]
    result = aggregate(definition, states, by="sector")
    assert json.loads(json.dumps(result)) == result
    assert result["respondents"] == 3


def test_many_different_numbers_are_shown_in_ranges():
    sessions = [
        {"status": "completed", "answers": {"amount": float(n)}, "respondent": {}}
        for n in range(100)
    ]
    amount = aggregate(DEFINITION, sessions)["questions"][4]
    assert (amount["min"], amount["max"], amount["median"], amount["mean"]) == (0, 99, 49.5, 49.5)
    assert len(amount["distribution"]) == 10
    assert amount["distribution"][0] == {"from": 0.0, "to": 9.9, "count": 10, "percent": 10.0}
    assert sum(part["count"] for part in amount["distribution"]) == 100


def test_damaged_values_are_left_out():
    sessions = [
        {"answers": {"pick": ["a"], "many": "x", "order": "p", "score": "5", "amount": None}},
        {"answers": {"pick": "a", "score": 4}, "others": None, "respondent": "sector"},
        {"status": "cancelled", "answers": {"pick": "b"}},
    ]
    result = aggregate(DEFINITION, sessions, by="sector")
    pick, many, order, score, *_ = result["questions"]
    assert many["answered"] == 1 and many["options"][0]["count"] == 0
    assert order["options"][0]["ranked"] == 0
    assert pick["options"][0]["count"] == 1 and score["mean"] == 4
    assert result["respondents"] == 2


def test_numbers_have_quartiles_and_rankings_their_rank_distribution():
    responses = [
        {"answers": {"amount": amount, "order": order}}
        for amount, order in [(1, ["p", "q", "r"]), (2, ["q", "p", "r"]), (3, ["p", "r", "q"]),
                              (4, ["p", "q", "r"])]
    ]  # fmt: skip
    questions = {q["id"]: q for q in aggregate(DEFINITION, responses)["questions"]}
    assert questions["amount"]["quartiles"] == [1.75, 2.5, 3.25]
    ranks = {option["id"]: option["ranks"] for option in questions["order"]["options"]}
    assert ranks == {"p": [3, 1, 0], "q": [1, 2, 1], "r": [0, 1, 3]}


def test_questions_inside_repeats_are_tallied_over_every_instance():
    definition = parse_definition(
        {
            "id": "hogares",
            "version": 1,
            "title": "Hogares",
            "questions": [
                {"id": "zona", "type": "text", "text": "Zona"},
                {
                    "id": "personas",
                    "type": "repeat",
                    "text": "Persona",
                    "questions": [
                        {"id": "edad", "type": "integer", "text": "Edad"},
                        {
                            "id": "trabajo",
                            "type": "single_choice",
                            "text": "Trabajo",
                            "required": False,
                            "other": True,
                            "choices": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}],
                        },
                    ],
                },
            ],
        }
    )
    engine = Engine(definition)
    yes, no = ChoiceInput("yes"), ChoiceInput("no")
    responses = [
        respond(engine, "osc", TextInput("norte"), TextInput("30"), ChoiceInput("a"), yes,
                TextInput("8"), CommandInput("skip"), yes, TextInput("50"),
                ChoiceInput("other"), TextInput("Campo"), no),
        respond(engine, "osc", TextInput("sur"), TextInput("20"), CommandInput("skip"), no),
    ]  # fmt: skip
    figures = {
        question["id"]: question for question in aggregate(definition, responses)["questions"]
    }
    assert figures["zona"]["respondents"] == 2 and "instances" not in figures["zona"]
    assert figures["personas"] | {"text": None} == {
        "id": "personas",
        "type": "repeat",
        "text": None,
        "respondents": 2,
        "answered": 2,
        "skipped": 0,
        "total": 4,
        "mean": 2.0,
        "median": 2.0,
        "quartiles": [1.5, 2.0, 2.5],
        "min": 1,
        "max": 3,
    }
    edad = figures["edad"]
    assert (edad["respondents"], edad["answered"], edad["instances"]) == (2, 2, 4)
    assert (edad["mean"], edad["min"], edad["max"]) == (27.0, 8, 50)
    trabajo = figures["trabajo"]
    assert (trabajo["answered"], trabajo["skipped"], trabajo["instances"]) == (1, 1, 4)
    assert [(o["id"], o["count"]) for o in trabajo["options"]] == [("a", 1), ("b", 0), ("other", 1)]
    assert trabajo["other_texts"] == ["Campo"]
    group = aggregate(definition, responses, by="sector", min_group=2)["breakdown"]["groups"][0]
    shown = {question["id"]: question for question in group["questions"]}
    assert shown["trabajo"]["suppressed"] and "suppressed" not in shown["edad"]
