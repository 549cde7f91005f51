"""Invitations bound to an existing person, over real HTTP: what they name, and what is refused."""

from __future__ import annotations

from core.people import invitations

PROBLEM = "application/problem+json"


async def add_person(http, world, secretariat_id: int, **fields) -> dict:
    created = await http.post(
        f"/secretariats/{secretariat_id}/people",
        headers=world.auth("national_admin"),
        json={"roles": ["staff"], **fields},
    )
    assert created.status_code == 201, created.text
    return created.json()


async def test_an_invitation_for_an_existing_person_takes_their_role_and_sector(http, world):
    admin = world.auth("secretariat_admin")
    base = f"/secretariats/{world.own}"
    validator = await add_person(
        http, world, world.own, name="Sofía Aguilar", roles=["civil_society"], sector="media"
    )
    created = await http.post(
        f"{base}/invitations", headers=admin, json={"person_id": validator["id"], "note": "Sofía"}
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["person_id"], body["role"], body["sector"]) == (
        validator["id"],
        "civil_society",
        "media",
    )
    assert body["deep_link"].endswith(f"?start={body['code']}")
    listed = (await http.get(f"{base}/invitations", headers=admin)).json()["items"]
    assert [(item["id"], item["person_id"]) for item in listed] == [(body["id"], validator["id"])]


async def test_a_person_of_another_secretariat_answers_404_like_one_that_does_not_exist(
    http, world
):
    admin = {**world.auth("secretariat_admin"), "Accept-Language": "en"}
    theirs = await add_person(http, world, world.other, name="Persona de Zacatecas")
    answers = [
        await http.post(
            f"/secretariats/{world.own}/invitations", headers=admin, json={"person_id": person_id}
        )
        for person_id in (theirs["id"], theirs["id"] + 1000)
    ]
    assert [answer.status_code for answer in answers] == [404, 404]
    assert all(answer.headers["content-type"] == PROBLEM for answer in answers)
    assert answers[0].json()["detail"] == f"Person {theirs['id']} not found."
    assert "Zacatecas" not in answers[0].text


async def test_a_role_is_needed_unless_a_person_is_named_and_then_it_is_theirs(http, world):
    admin = world.auth("secretariat_admin")
    url = f"/secretariats/{world.own}/invitations"
    person = await add_person(http, world, world.own, name="Lucía Ramírez")
    nothing = await http.post(url, headers=admin, json={"note": "¿Para quién?"})
    assert nothing.status_code == 422 and nothing.json()["field"] == "role"
    assert nothing.json()["detail"] == "Indica qué rol tendrá la persona invitada."
    both = await http.post(url, headers=admin, json={"person_id": person["id"], "role": "admin"})
    assert both.status_code == 422 and both.json()["field"] == "role"
    assert "toma su rol y su sector" in both.json()["detail"]


async def test_a_person_who_already_joined_with_telegram_is_refused_with_409(
    http, world, session_factory
):
    admin = {**world.auth("secretariat_admin"), "Accept-Language": "en"}
    url = f"/secretariats/{world.own}/invitations"
    person = await add_person(http, world, world.own, name="Lucía Ramírez")
    first = (await http.post(url, headers=admin, json={"person_id": person["id"]})).json()
    async with session_factory() as session, session.begin():
        await invitations.redeem(
            session, await invitations.usable_invitation(session, first["code"]),
            telegram_id=4242, telegram_username="lucia", name=None,
            language="es", consent_version="2026-01",
        )  # fmt: skip
    again = await http.post(url, headers=admin, json={"person_id": person["id"]})
    assert again.status_code == 409
    assert again.headers["content-type"] == PROBLEM
    assert again.json()["detail"] == "Lucía Ramírez has already joined with a Telegram account."
    read = (
        await http.get(f"/secretariats/{world.own}/people/{person['id']}", headers=admin)
    ).json()
    assert read["has_telegram"] and read["telegram_username"] == "lucia"
    assert read["consent_version"] == "2026-01"
