"""Locations: a shared place, or latitude and longitude typed."""

from __future__ import annotations

from typing import Any

from conversations import answers as read
from conversations.answers import Refused
from conversations.definition import Question
from conversations.engine.inputs import Input, LocationInput, TextInput
from conversations.questions.base import Answer, Draft, SingleInput, Today
from i18n import gettext


class Location(SingleInput):
    expects = "location"

    def read(
        self, question: Question, given: Input, draft: dict[str, Any], language: str, today: Today
    ) -> Answer | Draft:
        if isinstance(given, LocationInput):
            latitude, longitude = given.latitude, given.longitude
            if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
                raise Refused(gettext(language, "That location is not on Earth's map."))
        else:
            text = given.text if isinstance(given, TextInput) else ""
            latitude, longitude = read.read_location(text, language)
        return Answer({"latitude": latitude, "longitude": longitude})

    def shown(self, question: Question, value: Any, other: str | None, language: str) -> str:
        if not isinstance(value, dict):
            return super().shown(question, value, other, language)
        return f"{value.get('latitude')}, {value.get('longitude')}"

    def figures(
        self, question: Question, given: list[Any], others: list[str], language: str
    ) -> dict[str, Any]:
        places = [value for value in given if isinstance(value, dict)]
        return {"points": [[place.get("latitude"), place.get("longitude")] for place in places]}
