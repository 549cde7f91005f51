"""Engine figures: steps per second through a 20-question survey with skip logic, the time to
aggregate 100,000 completed sessions, and a 2,470-item cascade (Mexico's municipalities by
state): filtering by the state chosen, and searching on each keystroke. The last line printed
is a JSON object."""

from __future__ import annotations

import json
import random
import time

from conversations.definition import parse_definition
from conversations.engine.inputs import ChoiceInput, CommandInput, TextInput
from conversations.engine.navigation import Engine
from conversations.engine.state import SessionState
from conversations.questions.search import matches
from conversations.results import aggregate

SESSIONS_TO_AGGREGATE = 100_000
SESSIONS_TO_RUN = 400
MUNICIPALITIES = 2470
KEYSTROKES = ["s", "sa", "san", "san ", "san p", "san pe", "san ped", "san pedr", "san pedro"]


def labelled(*ids):
    return [{"id": i, "label": {"es": i.capitalize(), "en": i.capitalize()}} for i in ids]


def survey() -> dict:
    """20 questions: choices, ratings, numbers, text and ranking, with skip logic."""
    questions = [
        {"id": "member", "type": "yes_no", "text": "¿Integrante?"},
        {
            "id": "sector",
            "type": "single_choice",
            "text": "Sector",
            "other": True,
            "choices": labelled("osc", "academia", "business", "media"),
        },
        {
            "id": "years",
            "type": "integer",
            "text": "Años",
            "min": 0,
            "max": 70,
            "relevant": "${member} = 'yes'",
        },
        {
            "id": "topics",
            "type": "multiple_choice",
            "text": "Temas",
            "max": 3,
            "choices": labelled("health", "education", "security", "water", "roads"),
        },
        {
            "id": "health_detail",
            "type": "text",
            "text": "Salud",
            "relevant": "selected(${topics}, 'health')",
        },
        {
            "id": "problems",
            "type": "ranking",
            "text": "Problemas",
            "top": 3,
            "choices": labelled("impunity", "procurement", "bribes", "opacity", "abuse"),
        },
    ]
    for number in range(1, 11):
        questions.append(
            {
                "id": f"rating_{number}",
                "type": "rating",
                "text": f"Califica {number}",
                "relevant": "${member} = 'yes'" if number % 3 == 0 else None,
            }
        )
    questions += [
        {"id": "budget", "type": "decimal", "text": "Presupuesto", "min": 0},
        {"id": "share", "type": "calculate", "calculation": "${budget} div 100"},
        {"id": "attend", "type": "yes_no", "text": "¿Asistirías?"},
        {"id": "comment", "type": "text", "text": "Comentario", "required": False},
    ]
    for question in questions:
        if question.get("relevant") is None:
            question.pop("relevant", None)
    return {
        "id": "bench",
        "version": 1,
        "title": "Bench",
        "anonymous": True,
        "respondent_attributes": ["sector"],
        "questions": questions,
    }


def script(rng: random.Random) -> list:
    member = rng.choice(["sí", "no"])
    inputs = [TextInput(member), ChoiceInput(rng.choice(["osc", "academia", "media"]))]
    if member == "sí":
        inputs.append(TextInput(str(rng.randint(0, 70))))
    inputs += [ChoiceInput("health"), TextInput("2, 3"), CommandInput("done"), TextInput("Texto")]
    inputs += [TextInput("3, 1, 5")]
    ratings = 10 if member == "sí" else 7
    inputs += [ChoiceInput(str(rng.randint(1, 5))) for _ in range(ratings)]
    inputs += [TextInput("1,500.50"), TextInput("no"), CommandInput("skip")]
    return inputs


def run_sessions(engine: Engine, persist: bool) -> tuple[int, float]:
    rng = random.Random(7)
    steps, started = 0, time.perf_counter()
    for _ in range(SESSIONS_TO_RUN):
        state = engine.start("es", {"sector": "osc"})
        for given in script(rng):
            if persist:  # what the bot does: load, feed, store
                state = SessionState.from_json(json.dumps(state.to_json()))
            outcome = engine.feed(state, given)
            assert outcome.error is None, outcome.error
            state = outcome.state
            steps += 1
        assert state.status == "completed"
    return steps, time.perf_counter() - started


def completed_sessions(count: int) -> list[dict]:
    rng = random.Random(11)
    sessions = []
    for _ in range(count):
        member = rng.random() < 0.6
        answers = {
            "member": "yes" if member else "no",
            "sector": rng.choice(["osc", "academia", "business", "media", "other"]),
            "topics": rng.sample(["health", "education", "security", "water", "roads"], 2),
            "problems": rng.sample(["impunity", "procurement", "bribes", "opacity", "abuse"], 3),
            "budget": round(rng.uniform(0, 10_000), 2),
            "attend": rng.choice(["yes", "no"]),
            "comment": rng.choice([None, "Bien"]),
        }
        if member:
            answers["years"] = rng.randint(0, 70)
        if "health" in answers["topics"]:
            answers["health_detail"] = "Texto"
        for number in range(1, 11):
            if member or number % 3:
                answers[f"rating_{number}"] = rng.randint(1, 5)
        answers["share"] = answers["budget"] / 100
        others = {"sector": "Sindicato"} if answers["sector"] == "other" else {}
        sessions.append(
            {
                "status": "completed",
                "answers": answers,
                "others": others,
                "respondent": {"sector": answers["sector"]},
            }
        )
    return sessions


def cascade() -> dict:
    """A state, then one of 2,470 municipalities filtered by it (named alike across states)."""
    names = ["San Pedro", "Santa María", "San Juan", "Guadalupe", "Juárez", "Hidalgo", "Morelos"]
    states = [f"{n:02d}" for n in range(1, 33)]
    municipalities = [
        {
            "id": f"m{n}",
            "label": f"{names[n % len(names)]} {n}",
            "data": {"estado": states[n % 32]},
        }
        for n in range(MUNICIPALITIES)
    ]
    state = {
        "id": "estado",
        "type": "single_choice",
        "text": "Estado",
        "choices": labelled(*states),
    }
    municipality = {
        "id": "municipio",
        "type": "single_choice",
        "text": "Municipio",
        "choice_filter": "estado = ${estado}",
        "choices": municipalities,
    }
    national = {**municipality, "id": "nacional", "choice_filter": None}
    return {
        "id": "cascade",
        "version": 1,
        "title": "Cascada",
        "questions": [state, municipality, national],
    }


def cascade_figures() -> dict[str, float]:
    """Milliseconds: filtering 2,470 municipalities by a state, and each keystroke's search."""
    definition = parse_definition(cascade(), "bench")
    national = definition.question("nacional").choices or []
    filters, keystrokes, steps = [], [], []
    for state_number in range(1, 33):
        engine = Engine(definition)
        state = engine.feed(engine.start("es"), ChoiceInput(f"{state_number:02d}")).state
        fresh = Engine(definition)  # no filtered list kept from before
        started = time.perf_counter()
        fresh.current(state)
        filters.append(time.perf_counter() - started)
    started = time.perf_counter()
    matches(national, "x", "es")  # the first search normalises the labels once
    first = time.perf_counter() - started
    for keys in KEYSTROKES:
        started = time.perf_counter()
        matches(national, keys, "es")
        keystrokes.append(time.perf_counter() - started)
    engine = Engine(definition)
    state = engine.feed(engine.start("es"), ChoiceInput("01")).state
    state = engine.feed(state, TextInput("san")).state
    state = engine.feed(state, ChoiceInput(engine.current(state).choices[0].id)).state
    for keys in KEYSTROKES:
        started = time.perf_counter()
        engine.feed(state, TextInput(keys))
        steps.append(time.perf_counter() - started)

    def ms(values: list[float], share: float) -> float:
        return round(sorted(values)[int(share * (len(values) - 1))] * 1000, 2)

    return {
        "labels_normalised_once_ms": round(first * 1000, 2),
        "cascade_filter_ms_p50": ms(filters, 0.5),
        "cascade_filter_ms_max": ms(filters, 1),
        "keystroke_search_ms_p50": ms(keystrokes, 0.5),
        "keystroke_search_ms_max": ms(keystrokes, 1),
        "keystroke_step_ms_p50": ms(steps, 0.5),
        "keystroke_step_ms_max": ms(steps, 1),
    }


def main() -> None:
    definition = parse_definition(survey(), "bench")
    engine = Engine(definition)
    steps, seconds = run_sessions(engine, persist=False)
    persisted_steps, persisted_seconds = run_sessions(engine, persist=True)
    print(f"engine: {steps} steps in {seconds:.2f} s = {steps / seconds:,.0f} steps/s")
    print(f"engine with JSON state round trip: {persisted_steps / persisted_seconds:,.0f} steps/s")
    sessions = completed_sessions(SESSIONS_TO_AGGREGATE)
    started = time.perf_counter()
    result = aggregate(definition, sessions)
    aggregate_seconds = time.perf_counter() - started
    started = time.perf_counter()
    aggregate(definition, sessions, by="sector")
    breakdown_seconds = time.perf_counter() - started
    assert result["respondents"] == SESSIONS_TO_AGGREGATE
    print(f"aggregate {SESSIONS_TO_AGGREGATE:,} sessions: {aggregate_seconds:.3f} s")
    print(f"aggregate with breakdown by sector: {breakdown_seconds:.3f} s")
    figures = cascade_figures()
    print(
        f"cascade of {MUNICIPALITIES:,}: filter by state {figures['cascade_filter_ms_p50']} ms"
        f" (max {figures['cascade_filter_ms_max']}), search per keystroke"
        f" {figures['keystroke_search_ms_p50']} ms (max {figures['keystroke_search_ms_max']}),"
        f" whole step per keystroke {figures['keystroke_step_ms_p50']} ms"
        f" (max {figures['keystroke_step_ms_max']}); labels normalised once in"
        f" {figures['labels_normalised_once_ms']} ms"
    )
    print(
        json.dumps(
            {
                "questions": len(definition.questions),
                "steps_per_second": round(steps / seconds),
                "steps_per_second_with_json_state": round(persisted_steps / persisted_seconds),
                "sessions_aggregated": SESSIONS_TO_AGGREGATE,
                "aggregate_seconds": round(aggregate_seconds, 3),
                "aggregate_with_breakdown_seconds": round(breakdown_seconds, 3),
                "cascade_choices": MUNICIPALITIES,
                **figures,
            }
        )
    )


if __name__ == "__main__":
    main()
