"""Feeding the engine in tests."""

from __future__ import annotations

import json

from conversations.engine.inputs import Input
from conversations.engine.navigation import Engine
from conversations.engine.state import SessionState
from conversations.engine.steps import Outcome


def run(engine: Engine, state: SessionState, *inputs: Input) -> Outcome:
    """Feed inputs that must all be accepted, each state surviving JSON; the last outcome."""
    outcome = None
    for given in inputs:
        outcome = engine.feed(state, given)
        assert outcome.error is None, (given, outcome.error)
        state = outcome.state
        assert SessionState.from_json(json.dumps(state.to_json())) == state
    assert outcome is not None, "nothing was fed"
    return outcome
