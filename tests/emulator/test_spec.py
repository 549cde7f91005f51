"""The specification index: every request's parameters checked and converted."""

from __future__ import annotations

import pytest

from emulator.errors import BadRequest
from emulator.spec import SHIPPED_SPEC, Spec, Upload


@pytest.fixture(scope="module")
def spec():
    return Spec(SHIPPED_SPEC)


def test_the_whole_api_is_indexed(spec: Spec):
    assert spec.version.startswith("Bot API")
    assert len(spec.methods) > 150
    assert spec.method("SENDMESSAGE") == "sendMessage"
    assert spec.method("sendTelepathy") is None
    assert spec.methods["sendMessage"]["text"].max_length == 4096


def test_form_strings_become_declared_types(spec: Spec):
    checked = spec.check_call(
        "getUpdates",
        {"offset": "-1", "limit": "5", "timeout": 0, "allowed_updates": '["message"]'},
        {},
    )
    assert checked == {"offset": -1, "limit": 5, "timeout": 0, "allowed_updates": ["message"]}
    checked = spec.check_call(
        "sendMessage", {"chat_id": "@ana", "text": 5, "protect_content": "true"}, {}
    )
    assert checked == {"chat_id": "@ana", "text": "5", "protect_content": True}


def test_union_types_pick_their_variant(spec: Spec):
    checked = spec.check_call(
        "setMyCommands",
        {
            "commands": [{"command": "start", "description": "Comenzar"}],
            "scope": {"type": "chat", "chat_id": 7},
        },
        {},
    )
    assert checked["scope"] == {"type": "chat", "chat_id": 7}
    with pytest.raises(BadRequest, match="BotCommandScope"):
        spec.check_call("getMyCommands", {"scope": {"type": "chat_member", "chat_id": 7}}, {})


def test_uploads_by_part_name_or_attach_reference(spec: Spec):
    upload = Upload("a.pdf", "application/pdf", b"%PDF")
    direct = spec.check_call("sendDocument", {"chat_id": 1}, {"document": upload})
    attached = spec.check_call(
        "sendDocument", {"chat_id": 1, "document": "attach://part1"}, {"part1": upload}
    )
    assert direct["document"] is attached["document"] is upload
    assert (
        spec.check_call("sendDocument", {"chat_id": 1, "document": "FILEID"}, {})["document"]
        == "FILEID"
    )
    with pytest.raises(BadRequest, match="wrong file identifier"):
        spec.check_call("sendDocument", {"chat_id": 1, "document": "attach://none"}, {})


@pytest.mark.parametrize(
    ("params", "description"),
    [
        ({"chat_id": 1, "text": "x", "limit": 3}, 'Bad Request: unknown parameter "limit"'),
        (
            {"chat_id": [1], "text": "x"},
            'Bad Request: parameter "chat_id" must be of type Integer or String',
        ),
        (
            {"chat_id": True, "text": "x"},
            'Bad Request: parameter "chat_id" must be of type Integer or String',
        ),
        (
            {"chat_id": 1, "text": "x", "entities": "{"},
            'Bad Request: parameter "entities" must be of type Array of MessageEntity',
        ),
    ],
)
def test_refusals(spec: Spec, params, description):
    with pytest.raises(BadRequest) as refused:
        spec.check_call("sendMessage", params, {})
    assert refused.value.description == description


def test_secret_token_length_from_the_description(spec: Spec):
    with pytest.raises(BadRequest, match='"secret_token" is too long'):
        spec.check_call("setWebhook", {"url": "https://x.mx", "secret_token": "a" * 257}, {})
