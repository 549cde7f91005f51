"""A request body is refused before it is read: without a token (401), past its operation's
declared limit (413), or cut once it grows past it when no length is declared (413). A 200 MB
POST with no token used to be read whole (5.3 s, 560 MB) before it was answered 401."""

from __future__ import annotations

import asyncio
import select
import socket
from urllib.parse import urlencode

import pytest

from admin.app import create_app
from admin.body_limits import JSON_BYTES, SIGNIN_BYTES, UPLOAD_BYTES
from tests.admin.server import serving

DECLARED = 200 * 1024 * 1024
IMPORT = "/secretariats/{secretariat_id}/plans/import"
PAUSE = 0.2  # seconds given the server to answer before each part of a body is sent


def _answer(connection: socket.socket) -> tuple[int, bytes]:
    """The status and the raw answer (headers and body) the server sends back."""
    received = b""
    while chunk := connection.recv(65536):
        received += chunk
    status = int(received.split(b" ", 2)[1])
    return status, received


def post(base_url: str, path: str, headers: dict[str, str], body_chunks) -> tuple[int, bytes]:
    """Send a POST by hand, as much of its body as the server takes, and read its answer."""
    host, port = base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        request = f"POST {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n{head}\r\n"
        connection.sendall(request.encode())
        for chunk in body_chunks:
            # Sending on after the server answered would make it reset the connection.
            if select.select([connection], [], [], PAUSE)[0]:
                break
            connection.sendall(chunk)
        return _answer(connection)


def chunked(*pieces: bytes) -> list[bytes]:
    """A body in the chunked transfer coding, without a declared length (and not ended)."""
    return [b"%x\r\n%s\r\n" % (len(piece), piece) for piece in pieces]


def upload(size: int) -> bytes:
    """The start of a form whose file runs on (so that it is read, not refused as no form)."""
    head = b'--b\r\nContent-Disposition: form-data; name="file"; filename="plan.csv"\r\n\r\n'
    return head + b"x" * (size - len(head))


@pytest.fixture
def base_url(settings, db_url, world):
    with serving(create_app(settings.model_copy(update={"database_url": db_url}))) as url:
        yield url


def declared(length: int, token: dict[str, str]) -> dict[str, str]:
    return {"Content-Type": "application/json", "Content-Length": str(length), **token}


@pytest.mark.parametrize("role", [None, "coordinator"])
async def test_a_huge_declared_body_is_refused_at_once_without_being_read(base_url, world, role):
    # Only a kilobyte of the 200 MB is ever sent: a server that read the body would wait for
    # the rest until the client gave up, and never answer.
    token = world.auth(role) if role else {}
    path = f"/secretariats/{world.own}/plans/{world.own_plan}/objectives"
    status, answer = await asyncio.to_thread(
        post, base_url, path, declared(DECLARED, token), [b"{" + b" " * 1000]
    )
    assert status == (413 if role else 401), answer
    assert b"application/problem+json" in answer


async def test_a_spreadsheet_may_be_larger_than_a_json_body_but_not_past_its_own_limit(
    base_url, world
):
    path = IMPORT.format(secretariat_id=world.own)
    token = world.auth("coordinator")
    headers = {"Content-Type": "multipart/form-data; boundary=b", **token}
    body = upload(JSON_BYTES * 2) + b"\r\n--b--\r\n"
    status, answer = await asyncio.to_thread(
        post, base_url, path, {**headers, "Content-Length": str(len(body))}, [body]
    )
    assert status == 422, answer  # read in full: the year and the title are missing
    status, answer = await asyncio.to_thread(
        post, base_url, path, {**headers, "Content-Length": str(UPLOAD_BYTES[IMPORT] + 1)}, []
    )
    assert status == 413, answer


@pytest.mark.parametrize("target", ["json", "upload"])
async def test_a_streamed_body_is_cut_once_it_grows_past_the_limit(base_url, world, target):
    if target == "json":
        path, body = f"/secretariats/{world.own}/plans", b"x" * JSON_BYTES
        content_type = "application/json"
    else:
        path, body = IMPORT.format(secretariat_id=world.own), upload(UPLOAD_BYTES[IMPORT])
        content_type = "multipart/form-data; boundary=b"
    headers = {
        "Content-Type": content_type,
        "Transfer-Encoding": "chunked",
        **world.auth("coordinator"),
    }
    # Up to the limit the body is taken; one byte more and it is cut.
    status, answer = await asyncio.to_thread(post, base_url, path, headers, chunked(body, b"x"))
    assert status == 413, answer
    assert b"application/problem+json" in answer


async def test_a_streamed_body_without_a_token_is_refused_before_it_is_read(base_url, world):
    headers = {"Content-Type": "application/json", "Transfer-Encoding": "chunked"}
    path = f"/secretariats/{world.own}/plans"
    status, answer = await asyncio.to_thread(
        post, base_url, path, headers, chunked(b"x" * JSON_BYTES)
    )
    assert status == 401, answer


async def test_the_longest_sign_in_form_is_taken(base_url):
    """Its fields at their longest, each character four bytes escaped, are not refused as too
    large: the form answers for the token (401), not for the body's size."""
    body = urlencode({"token": "𝔱" * 200, "next": "/𝔭" * 1000}).encode()
    assert len(body) <= SIGNIN_BYTES
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Content-Length": str(len(body)),
    }
    status, answer = await asyncio.to_thread(post, base_url, "/signin", headers, [body])
    assert status == 401, answer
