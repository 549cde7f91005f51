"""Atom feeds of validated advances, for the country and for each secretariat: valid Atom,
newest first, nothing but advances civil society validated, nobody named."""

from __future__ import annotations

import re
from datetime import datetime
from xml.etree import ElementTree

from tests.support.public_world import validate_again

ATOM = "{http://www.w3.org/2005/Atom}"
MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")


def parsed(response) -> ElementTree.Element:
    """The feed, after checking the elements Atom (RFC 4287) requires of it and its entries."""
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert len(feed.findall(f"{ATOM}{name}")) == 1, name
    assert feed.findtext(f"{ATOM}author/{ATOM}name")
    assert MOMENT.fullmatch(feed.findtext(f"{ATOM}updated"))
    assert [link.get("rel") for link in feed.findall(f"{ATOM}link")] == ["self", "alternate"]
    ids = set()
    for entry in feed.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"{ATOM}{name}")) == 1, name
        assert entry.findtext(f"{ATOM}id").startswith("tag:")
        assert MOMENT.fullmatch(entry.findtext(f"{ATOM}updated"))
        assert entry.find(f"{ATOM}link[@rel='alternate']") is not None
        ids.add(entry.findtext(f"{ATOM}id"))
    assert len(ids) == len(feed.findall(f"{ATOM}entry"))
    return feed


def links(feed) -> list[str]:
    return [entry.find(f"{ATOM}link").get("href") for entry in feed.findall(f"{ATOM}entry")]


async def test_the_country_feed_lists_validated_advances_newest_first(populated, session_factory):
    newer = await validate_again(session_factory, populated.world, populated.world.task_ids[1])

    feed = parsed(await populated.client.get("/datos/avances.atom"))

    assert links(feed) == [
        f"{populated.url}/avances/{newer}",
        f"{populated.url}/avances/{populated.world.validated_report}",
    ]
    entry = feed.find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title").startswith("1.1.2 Minuta de la sesión")
    assert "validada por la sociedad civil" in entry.findtext(f"{ATOM}title")
    # The percent as the pages write it in es-MX, the plan as the pages name it.
    summary = entry.findtext(f"{ATOM}summary")
    assert re.search(
        r"^Secretaría sesea-ags, Plan anual \(2026\)\. .*, con \d+% de avance\.", summary
    )
    updated = [
        datetime.fromisoformat(e.findtext(f"{ATOM}updated")) for e in feed.iter(f"{ATOM}entry")
    ]
    assert updated == sorted(updated, reverse=True)
    assert feed.findtext(f"{ATOM}updated") == entry.findtext(f"{ATOM}updated")
    text = (await populated.client.get("/datos/avances.atom")).text
    assert not [value for value in populated.world.personal if value in text]


async def test_a_secretariats_feed_holds_only_its_advances(populated):
    own = parsed(
        await populated.client.get(f"/secretarias/{populated.world.own_slug}/avances.atom")
    )
    other = parsed(
        await populated.client.get("/secretarias/sesea-zac/avances.atom", params={"lang": "en"})
    )

    assert links(own) == [f"{populated.url}/avances/{populated.world.validated_report}"]
    assert other.findall(f"{ATOM}entry") == []
    assert other.findtext(f"{ATOM}title") == (
        "Advances validated by civil society: Secretaría sesea-zac"
    )
    assert other.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    missing = await populated.client.get("/secretarias/nadie/avances.atom")
    assert missing.status_code == 404


async def test_the_pages_announce_the_feed(populated):
    for path in ("/", "/datos"):
        page = (await populated.client.get(path)).text
        assert re.search(
            r'<link rel="alternate" type="application/atom\+xml" title="[^"]+" '
            r'href="/datos/avances.atom">',
            page,
        ), path
