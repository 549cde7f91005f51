"""Every question type by its name (``definition.QuestionTypeName`` lists the names)."""

from __future__ import annotations

from conversations.definition import Question
from conversations.questions.base import QuestionType
from conversations.questions.choice import SingleChoice
from conversations.questions.dates import Date
from conversations.questions.files import Files
from conversations.questions.location import Location
from conversations.questions.long_answer import LongAnswer
from conversations.questions.multiple_choice import MultipleChoice
from conversations.questions.numbers import Decimal, Integer
from conversations.questions.ranking import Ranking
from conversations.questions.repeat import Repeat
from conversations.questions.scales import Acknowledge, Rating, YesNo
from conversations.questions.silent import Calculate, Note
from conversations.questions.texts import EMAIL, PHONE, URL, Text
from conversations.questions.times import DateTime, Time

TYPES: dict[str, QuestionType] = {
    "single_choice": SingleChoice(),
    "multiple_choice": MultipleChoice(),
    "ranking": Ranking(),
    "rating": Rating(),
    "yes_no": YesNo(),
    "integer": Integer(),
    "decimal": Decimal(),
    "text": Text(),
    "long_answer": LongAnswer(),
    "date": Date(),
    "time": Time(),
    "datetime": DateTime(),
    "email": EMAIL,
    "url": URL,
    "phone": PHONE,
    "file": Files(),
    "location": Location(),
    "note": Note(),
    "acknowledge": Acknowledge(),
    "calculate": Calculate(),
    "repeat": Repeat(),
}


def type_of(question: Question) -> QuestionType:
    """The type of a question."""
    return TYPES[question.type]
