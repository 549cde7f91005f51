"""Actors are written in the audit log as they always were."""

from core.audit.actor import Actor


def test_each_actor_is_written_as_the_log_has_always_named_it():
    assert str(Actor.person(12)) == "person:12"
    assert str(Actor.token(7)) == "token:7"
    assert str(Actor.validator("olga-33")) == "validator:olga-33"
    assert str(Actor.system()) == "system"
    assert str(Actor.system("seed-demo")) == "system:seed-demo"
    assert str(Actor.cli()) == "cli"
