"""Asking, from a secretariat's public page, to validate its advances; the coordination decides."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import select

from core.models import JoinRequest, JoinRequestState, Role, TokenRole
from core.people import invitations
from core.people.join_requests import PER_SENDER_AN_HOUR
from tests.admin.conftest import issue
from tests.support import factories
from tests.support.axe import severe_violations
from tests.support.pages import at_widths

FORM = "/secretarias/sesea-ags/validar"
LUCIA = {"name": "Lucía Pérez", "sector": "academia", "organisation": "UAA",
         "contact": "lucia@example.org", "consent": "yes"}  # fmt: skip


@pytest.fixture
async def secretariat(session):
    async with session.begin():
        return await factories.secretariat(session, "sesea-ags")


async def opened_form(site, **headers) -> str:
    page = await site.get(FORM, headers=headers)
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    return re.search(r'name="token" value="([^"]+)"', page.text).group(1)


async def requests_kept(session) -> list[JoinRequest]:
    async with session.begin():
        query = select(JoinRequest).order_by(JoinRequest.id)
        found = await session.scalars(query.execution_options(populate_existing=True))
        return list(found)


async def test_a_request_is_kept_for_the_coordination_who_accept_and_invite(
    site, session, secretariat
):
    token = await opened_form(site)
    sent = await site.post(FORM, data={**LUCIA, "token": token})
    assert sent.status_code == 303
    assert sent.headers["location"] == "/secretarias/sesea-ags/validar/gracias"
    thanks = await site.get(sent.headers["location"])
    assert "Gracias." in thanks.text and secretariat.name in thanks.text

    async with session.begin():
        headers = await issue(session, TokenRole.COORDINATOR, secretariat.id)
    api = f"/secretariats/{secretariat.id}/join-requests"
    listed = (await site.get(api, headers={**headers, "Accept": "application/json"})).json()
    (request,) = listed["items"]
    assert (request["name"], request["sector"], request["contact"]) == (
        "Lucía Pérez", "academia", "lucia@example.org",
    )  # fmt: skip
    accepted = await site.post(
        f"{api}/{request['id']}/accept", json={"version": request["version"]}, headers=headers
    )
    assert accepted.status_code == 200, accepted.text
    invitation = accepted.json()["invitation"]
    assert (invitation["role"], invitation["sector"]) == ("civil_society", "academia")
    assert invitation["code"] in invitation["deep_link"]
    again = await site.post(
        f"{api}/{request['id']}/accept", json={"version": request["version"] + 1}, headers=headers
    )
    assert again.status_code == 422

    # Once Lucía joins through the invitation, what she wrote on the page is spent.
    async with session.begin():
        found = await invitations.usable_invitation(session, invitation["code"])
        person = await invitations.redeem(
            session, found, telegram_id=555, telegram_username=None, name="Lucía",
            language="es", consent_version="1",
        )  # fmt: skip
        assert Role.CIVIL_SOCIETY in person.roles
    (kept,) = await requests_kept(session)
    assert kept.state == JoinRequestState.ACCEPTED
    assert (kept.name, kept.organisation, kept.contact) == (None, None, None)

    # The public ledger says a request came and was accepted, never by whom.
    ledger = (await site.get("/public/ledger")).text
    assert "join_request.create" in ledger and "join_request.accept" in ledger
    for value in ("Lucía", "lucia@example.org", "UAA"):
        assert value not in ledger


async def test_a_declined_request_forgets_who_sent_it(site, session, secretariat):
    token = await opened_form(site)
    await site.post(FORM, data={**LUCIA, "token": token})
    async with session.begin():
        headers = await issue(session, TokenRole.COORDINATOR, secretariat.id)
    (request,) = await requests_kept(session)
    declined = await site.post(
        f"/secretariats/{secretariat.id}/join-requests/{request.id}/decline",
        json={"version": request.version},
        headers=headers,
    )
    assert declined.status_code == 200
    assert declined.json()["state"] == "declined" and declined.json()["name"] is None
    (kept,) = await requests_kept(session)
    assert (kept.name, kept.organisation, kept.contact, kept.sector) == (
        None, None, None, "academia",
    )  # fmt: skip


async def test_every_problem_of_the_form_is_shown_at_once_and_nothing_is_kept(
    site, session, secretariat
):
    token = await opened_form(site)
    answer = await site.post(
        FORM + "?lang=en",
        data={"token": token, "name": " ", "sector": "aliens", "contact": "call me"},
    )
    assert answer.status_code == 422
    text = unescape(answer.text)
    for problem in (
        "Write your name.",
        "Choose the sector you belong to.",
        "Write an e-mail address or a phone number to reach you.",
        "Without your consent we cannot keep your request.",
    ):
        assert problem in text
    assert 'value="call me"' in answer.text  # what was written is kept for correcting
    assert await requests_kept(session) == []


@pytest.mark.parametrize("length", [101, 1500, 15_000])
async def test_a_name_too_long_is_answered_on_the_form_in_the_readers_language(
    site, session, secretariat, length
):
    # A client that ignores the field's maxlength gets the page, not the API's problem.
    token = await opened_form(site)
    answer = await site.post(FORM, data={**LUCIA, "token": token, "name": "n" * length})
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("text/html")
    assert "Un nombre de 100 caracteres como máximo, por favor." in unescape(answer.text)
    assert await requests_kept(session) == []


async def test_control_characters_are_dropped_from_what_is_kept(site, session, secretariat):
    # A client can send what nobody types; PostgreSQL would refuse a NUL with a 500.
    token = await opened_form(site)
    sent = await site.post(
        FORM,
        data={**LUCIA, "token": token, "name": "Lucía\x00 Pérez\x07", "organisation": "U\x00AA"},
    )
    assert sent.status_code == 303
    (kept,) = await requests_kept(session)
    assert (kept.name, kept.organisation) == ("Lucía Pérez", "UAA")


async def test_a_post_from_another_site_or_without_the_page_is_refused(site, session, secretariat):
    without_page = await site.post(FORM, data={**LUCIA, "token": "guessed"})
    assert without_page.status_code == 403
    token = await opened_form(site)
    forged = await site.post(
        FORM, data={**LUCIA, "token": token}, headers={"Origin": "https://evil.example"}
    )
    assert forged.status_code == 403
    assert "Este formulario debe enviarse desde la página de este sitio." in forged.text
    assert await requests_kept(session) == []


async def test_one_address_is_slowed_down_after_a_few_requests(site, session, secretariat):
    token = await opened_form(site)
    for _ in range(PER_SENDER_AN_HOUR):
        assert (await site.post(FORM, data={**LUCIA, "token": token})).status_code == 303
    refused = await site.post(FORM, data={**LUCIA, "token": token})
    assert refused.status_code == 429 and refused.headers["retry-after"] == "3600"
    assert len(await requests_kept(session)) == PER_SENDER_AN_HOUR


async def test_an_unknown_secretariat_has_no_form(site, session, secretariat):
    page = await site.get("/secretarias/nadie/validar", headers={"Accept-Language": "en"})
    assert page.status_code == 404
    assert "No secretariat is published at this address." in page.text


@pytest.mark.browser
@pytest.mark.parametrize("locale", ["es-MX", "en-US"])
async def test_the_form_is_filled_in_a_browser_on_a_phone_and_a_desktop(
    site, session, secretariat, locale, tmp_path
):
    spanish = locale == "es-MX"
    async for width, page in at_widths(locale):
        await page.goto(str(site.base_url) + FORM)
        assert await severe_violations(page) == []
        await page.get_by_role("button").click()  # nothing filled in
        assert await page.get_by_role("alert").count() == 1
        assert await severe_violations(page) == []
        await page.screenshot(path=tmp_path / f"join-problems-{width}.png", full_page=True)
        await page.get_by_label("Tu nombre" if spanish else "Your name").fill("Lucía")
        await page.get_by_label("Sector").select_option("osc")
        await page.get_by_label("Correo o teléfono" if spanish else "E-mail or phone").fill(
            "+52 449 123 4567"
        )
        await page.get_by_role("checkbox").check()
        await page.get_by_role("button").click()
        assert page.url.endswith("/validar/gracias")
        await page.screenshot(path=tmp_path / f"join-thanks-{width}.png", full_page=True)
    assert len(await requests_kept(session)) == 2
