from typing import get_args

from conversations.definition import QuestionTypeName
from conversations.questions.registry import TYPES


def test_every_type_the_definition_names_has_one_handler():
    assert set(TYPES) == set(get_args(QuestionTypeName))
